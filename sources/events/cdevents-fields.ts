import type { Request } from 'express'
import type { EnvelopeFields } from '../../ingest/envelope.ts'
import { badRequest } from '../../http/errors.ts'
import { invalid, isObject, str, type JsonObject } from '../../http/json.ts'
import { cdeventSchema, cloudEventStructuredSchema } from './schemas.ts'

/** A JSON object that is a CDEvent on its own (no CloudEvents wrapper). */
export function isBareCdevent(body: JsonObject): boolean {
  return str(body, 'context', 'type')?.startsWith('dev.cdevents.') ?? false
}

/** The ordering key of a CDEvent: the service it concerns, else its subject. */
function cdeventSubject(cdevent: unknown): string | undefined {
  return str(cdevent, 'subject', 'content', 'service', 'id') ?? str(cdevent, 'subject', 'id')
}

function ceHeaders(req: Request): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { 'content-type': req.headers['content-type'] }
  for (const [k, v] of Object.entries(req.headers)) if (k.startsWith('ce-')) out[k] = Array.isArray(v) ? v.join(', ') : v
  return out
}

type Fields = Omit<EnvelopeFields, 'data' | 'path'>

/** The published schema (sources/events/schemas.ts) is what is enforced: a 400 names each bad field. */
function rejectIssues(what: string, r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): void {
  if (!r.success && r.error) throw invalid(what, r.error)
}

/** CloudEvents HTTP binary mode: attributes in ce-* headers, the CDEvent as the body. */
/**
 * The delivery id of a CDEvent: its id plus its type. CloudEvents promises only
 * that source + id is unique, and the CDEvents spec's own examples give an
 * incident's `detected` and `resolved` events the same id and source: keyed on
 * the id alone, the resolution would collapse into the detection.
 */
export const cdeventDeliveryId = (id: string, type: string): string => `${id}:${type}`

export function binaryFields(req: Request, body: JsonObject): Fields {
  const h = (n: string) => {
    const v = req.headers[n]
    return typeof v === 'string' && v !== '' ? v : undefined
  }
  const spec = h('ce-specversion')
  if (spec !== '1.0') throw badRequest(`ce-specversion must be "1.0", got "${spec ?? ''}"`)
  const id = h('ce-id')
  const type = h('ce-type')
  for (const [name, v] of [['ce-id', id], ['ce-type', type], ['ce-source', h('ce-source')]] as const) {
    if (!v) throw badRequest(`CloudEvents binary mode: missing ${name} header`)
  }
  return { source: 'cdevents', deliveryId: cdeventDeliveryId(id!, type!), type: type!, subject: cdeventSubject(body) ?? h('ce-subject') ?? 'cdevents', headers: ceHeaders(req) }
}

/** CloudEvents structured mode (application/cloudevents+json): attributes and `data` in the body. */
export function structuredFields(req: Request, body: JsonObject): Fields {
  if (body['specversion'] !== '1.0') throw badRequest('CloudEvent "specversion" must be "1.0"')
  for (const k of ['id', 'type', 'source'] as const) {
    if (!str(body, k)) throw badRequest(`CloudEvent "${k}" is missing or not a string`)
  }
  if ('data_base64' in body) throw badRequest('CloudEvent "data_base64" is not supported; send the CDEvent as JSON in "data"')
  if (!isObject(body['data'])) throw badRequest('CloudEvent "data" must be the CDEvent as a JSON object')
  rejectIssues('CloudEvent', cloudEventStructuredSchema.safeParse(body))
  return {
    source: 'cdevents',
    deliveryId: cdeventDeliveryId(str(body, 'id')!, str(body, 'type')!),
    type: str(body, 'type')!,
    subject: cdeventSubject(body['data']) ?? str(body, 'subject') ?? 'cdevents',
    headers: ceHeaders(req),
  }
}

/** A bare CDEvent: `context.id` / `context.type` play the CloudEvents id / type. */
export function bareFields(req: Request, body: JsonObject): Fields {
  const id = str(body, 'context', 'id')
  if (!id) throw badRequest('CDEvent context.id is missing or not a string')
  rejectIssues('CDEvent', cdeventSchema.safeParse(body))
  return { source: 'cdevents', deliveryId: cdeventDeliveryId(id, str(body, 'context', 'type') ?? ''), type: str(body, 'context', 'type')!, subject: cdeventSubject(body) ?? 'cdevents', headers: ceHeaders(req) }
}
