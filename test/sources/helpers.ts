/** Envelopes of the new sources as their ingest routes build them, for parser tests. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Envelope, EnvelopeSource } from '../../contracts/envelope.ts'
import { buildEnvelope } from '../../ingest/envelope.ts'

export const LOCAL_FIXTURES = path.resolve(import.meta.dirname, 'fixtures')
export const localFixture = (rel: string): string => readFileSync(path.join(LOCAL_FIXTURES, rel), 'utf8')

export function sourceEnvelope(source: EnvelopeSource, data: string | object, deliveryId = 'd-1', headers: Record<string, string> = {}): Envelope {
  return buildEnvelope(
    { source, deliveryId, path: `/webhooks/${source}`, type: `test.${source}`, subject: source, headers, data: typeof data === 'string' ? data : JSON.stringify(data) },
    new Date('2026-01-01T00:00:00Z'),
  )
}
