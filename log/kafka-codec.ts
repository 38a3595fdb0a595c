/**
 * CloudEvents Kafka protocol binding, binary content mode
 * (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/kafka-protocol-binding.md):
 * every context attribute is a `ce_<name>` header, `datacontenttype` is the
 * `content-type` header, and the message value is the event data — here the
 * sender's raw body, byte for byte.
 *
 * doraflow's extension attributes travel the same way: `ce_doraflowsource`
 * and `ce_doraflowheaders` (a JSON object as the header value), so an
 * envelope round-trips exactly: decode(encode(e)) deep-equals e.
 */
import type { Envelope } from '../contracts/envelope.ts'
import { isEnvelopeKind } from '../sources/index.ts'

export { partitionKey } from '../sources/routing.ts'

export interface KafkaMessageOut {
  key: string
  value: Buffer
  headers: Record<string, string>
}

/** What kafkajs hands a consumer: header values are Buffers (or arrays of them). */
export interface KafkaMessageIn {
  key?: Buffer | null
  value: Buffer | null
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>
}

export function encodeEnvelope(e: Envelope, key: string): KafkaMessageOut {
  return {
    key,
    value: Buffer.from(e.data, 'utf8'),
    headers: {
      ce_specversion: e.specversion,
      ce_id: e.id,
      ce_source: e.source,
      ce_type: e.type,
      ce_time: e.time,
      ce_subject: e.subject,
      'content-type': e.datacontenttype,
      ce_doraflowsource: e.doraflowsource,
      ce_doraflowheaders: JSON.stringify(e.doraflowheaders),
    },
  }
}

export class NotACloudEvent extends Error {
  override name = 'NotACloudEvent'
}

function header(m: KafkaMessageIn, name: string): string | undefined {
  const v = m.headers?.[name]
  const one = Array.isArray(v) ? v[0] : v
  if (one === undefined) return undefined
  return typeof one === 'string' ? one : one.toString('utf8')
}

/** The envelope a binary-mode CloudEvent carries; throws NotACloudEvent when a required attribute is missing. */
export function decodeEnvelope(m: KafkaMessageIn): Envelope {
  const need = (name: string) => {
    const v = header(m, name)
    if (v === undefined) throw new NotACloudEvent(`missing header ${name}`)
    return v
  }
  const specversion = need('ce_specversion')
  if (specversion !== '1.0') throw new NotACloudEvent(`unsupported ce_specversion ${specversion}`)
  const source = need('ce_doraflowsource')
  if (!isEnvelopeKind(source)) throw new NotACloudEvent(`unknown ce_doraflowsource ${source}`)
  let headers: Record<string, string>
  try {
    headers = JSON.parse(header(m, 'ce_doraflowheaders') ?? '{}') as Record<string, string>
  } catch {
    throw new NotACloudEvent('ce_doraflowheaders is not JSON')
  }
  return {
    specversion: '1.0',
    id: need('ce_id'),
    source: need('ce_source'),
    type: need('ce_type'),
    time: need('ce_time'),
    subject: need('ce_subject'),
    datacontenttype: (header(m, 'content-type') ?? 'application/json') as 'application/json',
    doraflowsource: source,
    doraflowheaders: headers,
    data: m.value ? m.value.toString('utf8') : '',
  }
}
