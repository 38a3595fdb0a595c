import { randomUUID } from 'node:crypto'
import type { AnnotationInput, AnnotationRecord } from './schema.ts'
import type { Envelope } from '../../contracts/envelope.ts'
import { buildEnvelope, type EnvelopeFields } from '../../ingest/envelope.ts'
import { parseInstant } from '../../contracts/instant.ts'

/**
 * Annotations enter the log through here, from the API (api/annotations.ts) and
 * from `doraflow annotate` when no serve is running: one envelope per addition or
 * removal, its id `annotation:<id>:<action>`, so a retry collapses.
 */
export function annotationEnvelope(r: AnnotationRecord): Envelope {
  return buildEnvelope(annotationFields(r))
}

export function annotationFields(r: AnnotationRecord): EnvelopeFields {
  return {
    source: 'annotation',
    deliveryId: `${r.id}:${r.action}`,
    path: '/api/v1/annotations',
    type: `dev.doraflow.annotation.${r.action}`,
    subject: r.id,
    headers: {},
    data: JSON.stringify(r),
  }
}

/** A validated input, completed (id, time): the record, or what is wrong with it. */
export function annotationAdded(a: AnnotationInput, now: Date = new Date()): Extract<AnnotationRecord, { action: 'added' }> | { problem: string } {
  const at = a.at ?? now.toISOString()
  if (a.endAt !== undefined && parseInstant(a.endAt) < parseInstant(at)) return { problem: 'endAt: must not be before at (which defaults to now)' }
  return { action: 'added', id: a.id ?? randomUUID(), at, endAt: a.endAt ?? null, text: a.text, tags: a.tags, service: a.service ?? null, team: a.team ?? null }
}

export const annotationRemoved = (id: string, now: Date = new Date()): AnnotationRecord => ({ action: 'removed', id, at: now.toISOString() })
