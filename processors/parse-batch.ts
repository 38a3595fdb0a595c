import { chTime } from '../clickhouse/client.ts'
import type { LoggedEnvelope } from '../contracts/envelope.ts'
import type { DeadLetterCode, DropCode, ParseOutcome } from '../contracts/events.ts'
import { annotationRow, type AnnotationRow } from './annotations.ts'
import { factRow, type FactRow } from './facts.ts'
import { wellFormed } from '../contracts/well-formed.ts'
import { parseEnvelope } from '../sources/parse.ts'

/** What a batch of envelopes parses into: the rows to write and what they touch. */
export interface ParsedBatch {
  facts: FactRow[]
  dead: DeadLetterRow[]
  /** Annotations go to their own table: they feed no metric, so they are not facts and touch no service. */
  annotations: AnnotationRow[]
  routings: Set<string>
  dropped: number
  /** Drops by reason code. */
  dropCodes: Partial<Record<DropCode, number>>
}

export interface DeadLetterRow {
  envelope_id: string
  log_offset: number
  envelope_type: string
  reason: string
  reason_code: DeadLetterCode
  raw: string
  recorded_at: string
}

/** Dead letters per reason code, for doraflow_processor_dead_letters_total{reason}. */
export function countByCode(rows: readonly DeadLetterRow[]): Partial<Record<DeadLetterCode, number>> {
  const out: Partial<Record<DeadLetterCode, number>> = {}
  for (const r of rows) out[r.reason_code] = (out[r.reason_code] ?? 0) + 1
  return out
}

/** A row of `dead_letters`: the envelope kept whole (`raw`), with why it could not be processed. */
export function deadLetterRow(item: LoggedEnvelope, reason: string, code: DeadLetterCode): DeadLetterRow {
  return {
    envelope_id: wellFormed(item.envelope.id),
    log_offset: item.offset,
    envelope_type: wellFormed(item.envelope.type),
    reason: wellFormed(reason),
    reason_code: code,
    // JSON.stringify writes a lone surrogate as its \u escape: the text itself is well-formed.
    raw: JSON.stringify(item.envelope),
    recorded_at: chTime(Date.now()),
  }
}

/** A parser bug must not stop the stream: it becomes a dead letter like any unreadable event. */
function safeParse(e: LoggedEnvelope): ParseOutcome {
  try {
    return parseEnvelope(e.envelope)
  } catch (err) {
    return { kind: 'dlq', reason: `parser failed: ${(err as Error).message}`, code: 'parser_error' }
  }
}

/**
 * The parse step shared by live processing and replay: envelopes → fact rows
 * (ok), nothing (drop), dead-letter rows with the reason (dlq). `pause` runs
 * every `pauseEvery` envelopes, to hand the event loop back.
 */
export async function parseBatch(batch: readonly LoggedEnvelope[], pause?: { every: number; run: () => Promise<void> }): Promise<ParsedBatch> {
  const out: ParsedBatch = { facts: [], dead: [], annotations: [], routings: new Set(), dropped: 0, dropCodes: {} }
  let n = 0
  for (const logged of batch) {
    if (pause && ++n % pause.every === 0) await pause.run()
    // Ingest makes these well-formed (contracts/well-formed.ts); a log written before it did may still hold one that is not.
    const item = { offset: logged.offset, envelope: { ...logged.envelope, id: wellFormed(logged.envelope.id), type: wellFormed(logged.envelope.type) } }
    const parsed = safeParse(item)
    switch (parsed.kind) {
      case 'ok':
        for (const ev of parsed.events) {
          if (ev.type === 'AnnotationAdded' || ev.type === 'AnnotationRemoved') {
            out.annotations.push(annotationRow(ev, item.envelope.id, item.offset))
            continue
          }
          out.facts.push(factRow(ev, item.envelope.id, item.offset))
          out.routings.add(ev.routing)
        }
        break
      case 'drop':
        out.dropped++
        out.dropCodes[parsed.code] = (out.dropCodes[parsed.code] ?? 0) + 1
        break
      case 'dlq':
        out.dead.push(deadLetterRow(item, parsed.reason, parsed.code))
        break
      default: {
        const never: never = parsed
        throw new Error(`unexpected outcome ${JSON.stringify(never)}`)
      }
    }
  }
  return out
}
