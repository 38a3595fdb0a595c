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
import type { Config } from '../config/schema.ts'
import type { Envelope, EnvelopeSource } from '../domain/envelope.ts'
import { closeRoutings } from '../processors/recompute.ts'

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

const SOURCES: readonly EnvelopeSource[] = ['github', 'pagerduty', 'generic', 'cdevents', 'annotation', 'gitlab', 'incidentio', 'jira']

/** The routing (see processors/parse) an envelope's subject stands for. */
export function routingOfSubject(source: EnvelopeSource, subject: string): string {
  switch (source) {
    case 'github':
      return `github:${subject.toLowerCase()}`
    case 'pagerduty':
      return `pagerduty:${subject}`
    case 'gitlab':
      return `gitlab:${subject.toLowerCase()}`
    case 'incidentio':
      return `incidentio:${subject.toLowerCase()}`
    case 'jira':
      return `jira:${subject.toUpperCase()}`
    case 'annotation':
      // One key per annotation: its addition and removal stay in order. No service claims it.
      return `annotation:${subject}`
    case 'generic':
    case 'cdevents':
      return `named:${subject}`
    default: {
      const never: never = source
      return `named:${String(never)}`
    }
  }
}

/**
 * The Kafka message key, i.e. what decides the partition.
 *
 * Concurrency rule (see docs/OPERATIONS.md, "One writer per service"): a
 * processor replaces a service's derived rows by DELETE + INSERT
 * (processors/sink.ts). Two replicas recomputing the same service at once
 * could interleave those and leave duplicates. A service can receive events
 * under several routing keys (its repositories, its PagerDuty services, its
 * name), which would hash to different partitions if we keyed by the raw
 * subject. So the key is the *service group* the subject belongs to in the
 * configuration: the connected component of services and sources that
 * `closeRoutings` (the very closure recompute uses) yields, named by its
 * alphabetically first service. Every event that can make a processor
 * recompute a service therefore lands in one partition, and a partition has
 * exactly one consumer in the group: one writer per service, without locks.
 * A subject no configured service claims keeps its routing as key (its
 * implicit service `named:x`, or an unmapped repository, is its own group).
 * Per-key order still holds, since all of a subject's events share a key.
 */
export function partitionKey(envelope: Pick<Envelope, 'doraflowsource' | 'subject'>, config: Config): string {
  const routing = routingOfSubject(envelope.doraflowsource, envelope.subject)
  const { services } = closeRoutings([routing], config)
  if (services.size === 0) return routing
  return `service:${[...services].sort()[0]!}`
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
  const source = need('ce_doraflowsource') as EnvelopeSource
  if (!SOURCES.includes(source)) throw new NotACloudEvent(`unknown ce_doraflowsource ${source}`)
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
