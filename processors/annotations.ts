import { chTime } from '../clickhouse/client.ts'
import type { AnnotationAdded, AnnotationRemoved } from '../contracts/events.ts'
import { parseInstant } from '../contracts/instant.ts'

/**
 * A row of the `annotations` table (ReplacingMergeTree(version) ORDER BY id):
 * the log offset is the version, so the latest word on an annotation wins under
 * FINAL: a removal (removed = 1) outranks the addition it follows. Both events
 * of one annotation share a Kafka key (their subject), so their offsets compare.
 */
export interface AnnotationRow {
  id: string
  at: string
  end_at: string | null
  text: string
  tags: string[]
  service: string
  team: string
  removed: 0 | 1
  version: number
  envelope_id: string
}

export function annotationRow(e: AnnotationAdded | AnnotationRemoved, envelopeId: string, offset: number): AnnotationRow {
  const common = { id: e.id, at: chTime(parseInstant(e.at)), version: offset, envelope_id: envelopeId }
  if (e.type === 'AnnotationRemoved') return { ...common, end_at: null, text: '', tags: [], service: '', team: '', removed: 1 }
  return { ...common, end_at: e.endAt === null ? null : chTime(parseInstant(e.endAt)), text: e.text, tags: e.tags, service: e.service ?? '', team: e.team ?? '', removed: 0 }
}
