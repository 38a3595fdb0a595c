import { randomUUID } from 'node:crypto'
import type { CorrectionInput, CorrectionRecord } from './schema.ts'
import type { Envelope } from '../../contracts/envelope.ts'
import { buildEnvelope, type EnvelopeFields } from '../../ingest/envelope.ts'

/**
 * Corrections enter the log through here, from the API (api/corrections.ts) and from
 * `doraflow correct` when no serve is running: one envelope per correction, its id
 * `correction:<id>`, so a retry collapses.
 */
export function correctionEnvelope(r: CorrectionRecord, subject?: string): Envelope {
  return buildEnvelope(correctionFields(r, subject))
}

/** `subject`: the routing of the record it names when known (the Kafka key follows it), else `corrections`. */
export function correctionFields(r: CorrectionRecord, subject = 'corrections'): EnvelopeFields {
  return {
    source: 'correction',
    deliveryId: r.id,
    path: '/api/v1/corrections',
    type: 'dev.doraflow.correction.recorded',
    subject,
    headers: {},
    data: JSON.stringify(r),
  }
}

/** A validated input, completed (id, time) and normalised to the log's record. */
export function correctionRecord(c: CorrectionInput, now: Date = new Date()): CorrectionRecord {
  const onIncident = c.incident !== undefined
  return {
    kind: 'correction',
    id: c.id ?? randomUUID(),
    incident: onIncident ? c.incident! : null,
    deployment: c.deployment ?? null,
    failed: onIncident ? null : (c.failed ?? null),
    by: c.by,
    reason: c.reason,
    at: c.at ?? now.toISOString(),
  }
}
