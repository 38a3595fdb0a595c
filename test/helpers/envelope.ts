/**
 * Envelopes as ingest would build them, for parser and processor tests.
 * A body that is a string is used as the raw text (malformed JSON, form bodies);
 * anything else is JSON-encoded. Ids default to a hash of the body, so they are
 * deterministic and distinct bodies get distinct envelopes.
 */
import { createHash } from 'node:crypto'
import type { Envelope, EnvelopeSource } from '../../contracts/envelope.ts'
import { genericDeliveryId, genericEventSchema } from '../../sources/events/generic-schema.ts'

const TIME = '2026-01-01T00:00:00.000Z'

const text = (body: unknown): string => (typeof body === 'string' ? body : JSON.stringify(body))
const hashId = (data: string): string => createHash('sha256').update(data).digest('hex').slice(0, 16)

/** Reads a string at a path of a JSON value, or undefined. */
function pick(body: unknown, ...path: string[]): string | undefined {
  let cur: unknown = typeof body === 'string' ? tryJson(body) : body
  for (const p of path) cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[p] : undefined
  return typeof cur === 'string' ? cur : undefined
}

function tryJson(s: string): unknown {
  try {
    return JSON.parse(s)
  } catch {
    return undefined
  }
}

function envelope(source: EnvelopeSource, deliveryId: string, fields: { path: string; type: string; subject: string; headers: Record<string, string>; data: string }): Envelope {
  return {
    specversion: '1.0',
    id: `${source}:${deliveryId}`,
    source: fields.path,
    type: fields.type,
    time: TIME,
    subject: fields.subject,
    datacontenttype: 'application/json',
    doraflowsource: source,
    doraflowheaders: fields.headers,
    data: fields.data,
  }
}

export function githubEnvelope(event: string, body: unknown, deliveryId?: string, headers: Record<string, string> = {}): Envelope {
  const data = text(body)
  const id = deliveryId ?? hashId(`${event}\n${data}`)
  return envelope('github', id, {
    path: '/webhooks/github',
    type: `com.github.${event}`,
    subject: (pick(body, 'repository', 'full_name') ?? 'unknown').toLowerCase(),
    headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': id, ...headers },
    data,
  })
}

export function pagerdutyEnvelope(body: unknown): Envelope {
  const data = text(body)
  return envelope('pagerduty', pick(body, 'event', 'id') ?? hashId(data), {
    path: '/webhooks/pagerduty',
    type: `com.pagerduty.${pick(body, 'event', 'event_type') ?? 'unknown'}`,
    subject: pick(body, 'event', 'data', 'service', 'id') ?? 'unknown',
    headers: { 'content-type': 'application/json' },
    data,
  })
}

export function genericEnvelope(body: unknown): Envelope {
  const data = text(body)
  const parsed = genericEventSchema.safeParse(typeof body === 'string' ? tryJson(body) : body)
  return envelope('generic', parsed.success ? genericDeliveryId(parsed.data) : hashId(data), {
    path: '/events',
    type: `dev.doraflow.generic.${pick(body, 'kind') ?? 'unknown'}`,
    subject: pick(body, 'service') ?? 'unknown',
    headers: { 'content-type': 'application/json' },
    data,
  })
}

/** A bare CDEvent (binary mode: pass ce-* headers) or a structured CloudEvent body. */
export function cdeventsEnvelope(body: unknown, headers: Record<string, string> = {}): Envelope {
  const data = text(body)
  const id = headers['ce-id'] ?? pick(body, 'id') ?? pick(body, 'context', 'id') ?? hashId(data)
  return envelope('cdevents', id, {
    path: '/events',
    type: headers['ce-type'] ?? pick(body, 'type') ?? pick(body, 'context', 'type') ?? 'unknown',
    subject: pick(body, 'subject', 'content', 'service', 'id') ?? pick(body, 'subject', 'id') ?? 'cdevents',
    headers: { 'content-type': 'application/json', ...headers },
    data,
  })
}
