/**
 * Routing: which facts a service draws on, and which partition an envelope
 * goes to. A routing is `<prefix>:<subject>` (`github:<repo lowercase>`,
 * `pagerduty:<service id>`, `named:<service>`, `annotation:<id>`), given by
 * the source that wrote the envelope (sources/<name>/index.ts `routing`).
 * One place for processors (recompute, replay) and the log (Kafka partition
 * keys), so log/ does not reach into processors/.
 */
import { flagOwnerRouting } from './flags/owners.ts'
import type { Config } from '../config/schema.ts'
import type { Envelope } from '../contracts/envelope.ts'
import { ALL_SOURCES, sourceOfKind } from './index.ts'

/** The routing an envelope's subject stands for, by the source that wrote it. */
export function routingOfSubject(kind: string, subject: string): string {
  return sourceOfKind(kind)?.source.routing.ofSubject(subject) ?? `named:${subject}`
}

/** The routings a configured service draws its facts from, in source-list order. */
export function routingsOfService(s: Config['services'][number]): string[] {
  return ALL_SOURCES.flatMap((src) => src.routing.ofService(s as never))
}

interface RoutingIndex {
  /** routing → indexes of the configured services that draw on it. */
  byRouting: Map<string, number[]>
  own: string[][]
}
const indexes = new WeakMap<Config['services'], RoutingIndex>()

function routingIndex(config: Config): RoutingIndex {
  let ix = indexes.get(config.services)
  if (!ix || ix.own.length !== config.services.length) {
    const byRouting = new Map<string, number[]>()
    const own = config.services.map(routingsOfService)
    own.forEach((rs, i) => {
      for (const r of rs) byRouting.set(r, [...(byRouting.get(r) ?? []), i])
    })
    ix = { byRouting, own }
    indexes.set(config.services, ix)
  }
  return ix
}

/**
 * Closes a set of routings over the configuration: a service reached through
 * one of its sources brings all its other sources, so that its projection is
 * computed from all its facts (and a repository shared by two services brings
 * both). Indexed by routing (built once per configuration): linear in the
 * routings reached, not in the number of configured services.
 */
export function closeRoutings(seed: Iterable<string>, config: Config): { routings: Set<string>; services: Set<string> } {
  const { byRouting, own } = routingIndex(config)
  const routings = new Set(seed)
  const reached = new Set<number>()
  const queue = [...routings]
  while (queue.length > 0) {
    for (const i of byRouting.get(queue.pop()!) ?? []) {
      if (reached.has(i)) continue
      reached.add(i)
      for (const r of own[i]!) {
        if (!routings.has(r)) {
          routings.add(r)
          queue.push(r)
        }
      }
    }
  }
  // Configuration order, as the set the loop above replaced produced.
  const services = new Set([...reached].sort((a, b) => a - b).map((i) => config.services[i]!.name))
  return { routings, services }
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
  const routing = flagOwnerRouting(routingOfSubject(envelope.doraflowsource, envelope.subject), config)
  const { services } = closeRoutings([routing], config)
  if (services.size === 0) return routing
  return `service:${[...services].sort()[0]!}`
}

