import type { Envelope, EnvelopeSource } from '../contracts/envelope.ts'
import { wellFormed } from '../contracts/well-formed.ts'

export interface EnvelopeFields {
  source: EnvelopeSource
  /** Sender's delivery id; the envelope id is `${source}:${deliveryId}` so redeliveries collapse. */
  deliveryId: string
  /** CloudEvents `source`, e.g. `/webhooks/github/hooks/123`. */
  path: string
  type: string
  subject: string
  headers: Record<string, string | undefined>
  /** The raw body as text, unchanged. */
  data: string
}

export function buildEnvelope(f: EnvelopeFields, now: Date = new Date()): Envelope {
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(f.headers)) if (v !== undefined) headers[k.toLowerCase()] = v
  return {
    specversion: '1.0',
    // Ids and subjects may come from body fields (our JSON, CDEvents): they end up in table rows.
    id: wellFormed(`${f.source}:${f.deliveryId}`),
    source: wellFormed(f.path),
    type: wellFormed(f.type),
    time: now.toISOString(),
    subject: wellFormed(f.subject),
    datacontenttype: 'application/json',
    doraflowsource: f.source,
    doraflowheaders: headers,
    data: f.data,
  }
}
