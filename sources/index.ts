/**
 * The one list of sources. Routes, the OpenAPI document, log redaction, the
 * unauthenticated warning, the configuration, the Kafka codec, parse dispatch
 * and routing all read it: adding a source is its folder plus one line here
 * (sources/README.md).
 */
import { annotation } from './annotation/index.ts'
import { correction } from './correction/index.ts'
import { events } from './events/index.ts'
import { flagger } from './flagger/index.ts'
import { flags } from './flags/index.ts'
import { github } from './github/index.ts'
import { gitlab } from './gitlab/index.ts'
import { incidentio } from './incidentio/index.ts'
import { jira } from './jira/index.ts'
import { pagerduty } from './pagerduty/index.ts'
import type { Parser, Source, SourceRules } from './source.ts'

export const SOURCES = [github, pagerduty, events, annotation, correction, gitlab, incidentio, jira, flags, flagger] as const

type AnySource = (typeof SOURCES)[number]
export type SourceName = AnySource['name']
/** The envelope kinds (`doraflowsource`) of every source: the keys of their parsers. */
export type EnvelopeKind = { [S in AnySource as S['name']]: keyof S['parsers'] & string }[SourceName]

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never
/** Each source's configuration slice, under its name. */
export type SourceConfigShape = { [S in AnySource as [NonNullable<S['config']>] extends [never] ? never : S['name']]: NonNullable<S['config']> }
/** The fields every source adds to a `services[]` entry. */
export type SourceServiceShape = UnionToIntersection<NonNullable<AnySource['serviceFields']>>

const list: readonly Source[] = SOURCES as unknown as readonly Source[]

export const ENVELOPE_KINDS: readonly EnvelopeKind[] = list.flatMap((s) => Object.keys(s.parsers)) as EnvelopeKind[]

const byKind = new Map<string, { source: Source; parse: Parser }>(list.flatMap((s) => Object.entries(s.parsers).map(([k, parse]) => [k, { source: s, parse }] as const)))

/** The source that writes envelopes of this kind, or undefined for a foreign log record. */
export function sourceOfKind(kind: string): { source: Source; parse: Parser } | undefined {
  return byKind.get(kind)
}

export const isEnvelopeKind = (kind: string): kind is EnvelopeKind => byKind.has(kind)

export function sourceConfigShape(): SourceConfigShape {
  return Object.fromEntries(list.filter((s) => s.config).map((s) => [s.name, s.config])) as SourceConfigShape
}

export function sourceServiceShape(): SourceServiceShape {
  return Object.assign({}, ...list.map((s) => s.serviceFields ?? {})) as SourceServiceShape
}

/** Every source as the untyped descriptor, for code that only enumerates (routes, OpenAPI, redaction). */
export const ALL_SOURCES = list

/** A source's own configuration slice. */
const sliceOf = (s: Source, config: object): unknown => (config as Record<string, unknown>)[s.name]

/** Whether a source's deliveries must be authenticated under this configuration (false: loopback only). */
export function isSecured(s: Source, config: object): boolean {
  return (s.unauthenticated?.(sliceOf(s, config)) ?? null) === null
}

/** The start-up warning's list: each source that takes unauthenticated deliveries, as it names itself. */
export function unauthenticatedSources(config: object): string[] {
  return list.flatMap((s) => s.unauthenticated?.(sliceOf(s, config)) ?? [])
}

/**
 * Where the projection's rules for a kind come from: its source's own `rules`,
 * else the defaults, which are GitHub's slice (`github.productionEnvironments`
 * and `github.incidentLabels` were the global rules before there were other
 * sources, and configurations in use say so).
 */
const DEFAULT_RULES_FROM: SourceName = 'github'

export interface OriginRules {
  productionEnvironments: ReadonlySet<string>
  incidentLabels: ReadonlySet<string>
  incidentTypes: ReadonlySet<string>
}

/** The projection's rules per origin (lowercased), for one configuration. */
export function rulesByOrigin(config: object): (origin: string) => OriginRules {
  const lower = (r: SourceRules): OriginRules => ({
    productionEnvironments: new Set(r.productionEnvironments.map((e) => e.toLowerCase())),
    incidentLabels: new Set(r.incidentLabels.map((l) => l.toLowerCase())),
    incidentTypes: new Set((r.incidentTypes ?? []).map((t) => t.toLowerCase())),
  })
  const own = (s: Source | undefined) => (s?.rules ? lower(s.rules(sliceOf(s, config))) : undefined)
  const defaults = own(list.find((s) => s.name === DEFAULT_RULES_FROM)) ?? { productionEnvironments: new Set<string>(), incidentLabels: new Set<string>(), incidentTypes: new Set<string>() }
  const byKind = new Map(ENVELOPE_KINDS.map((k) => [k as string, own(sourceOfKind(k)?.source) ?? defaults]))
  return (origin) => byKind.get(origin) ?? defaults
}

/** The kinds whose entities never move between routings (their source's `routing.stable`). */
export const STABLE_KINDS: ReadonlySet<string> = new Set(list.filter((s) => s.routing.stable).flatMap((s) => Object.keys(s.parsers)))
