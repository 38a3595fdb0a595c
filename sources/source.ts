/**
 * What a source is: one folder under sources/ exporting one descriptor, listed
 * once in sources/index.ts. Everything that enumerates sources — the ingest
 * routes, the OpenAPI document, log redaction, the unauthenticated warning,
 * the configuration, the Kafka codec, parse dispatch and routing — reads the
 * list, so adding a source touches nothing outside its folder but that line.
 *
 * A descriptor sees only its own configuration slice (`config`, parsed under
 * the key `name`) and its own fields of a `services[]` entry (`serviceFields`):
 * that keeps the configuration type a plain function of the list.
 */
import type { RequestHandler } from 'express'
import type { z } from 'zod'
import type { Envelope } from '../contracts/envelope.ts'
import type { ParseOutcome } from '../contracts/events.ts'
import type { IngestContext } from '../ingest/context.ts'

type Json = Record<string, unknown>

/** A pure function of one envelope: never throws (sources/fields.ts `guard`). */
export type Parser = (env: Envelope) => ParseOutcome

/** One HTTP route a source receives deliveries on. */
export interface SourceRoute {
  method: 'post'
  /** Express path, also the OpenAPI path. */
  path: string
  /** The request handler; HttpErrors it throws become JSON answers (ingest/handler.ts). */
  handler: (ctx: IngestContext) => (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1]) => Promise<void>
  /**
   * The OpenAPI operation (without `responses`, which are the same for every
   * delivery route). `secured` is false when the configuration names no secret,
   * i.e. the route is loopback-only.
   */
  openapi: (secured: boolean | undefined) => Json
  /**
   * Whether this route is authenticated under a configuration, when that is
   * the route's own (a source with several senders, each with its secret);
   * absent: the source's `unauthenticated` decides for all its routes.
   */
  secured?: (config: IngestContext['config']) => boolean
}

export interface Source<Name extends string = string, Kind extends string = string, Config extends z.ZodType = z.ZodType, ServiceFields extends z.ZodRawShape = z.ZodRawShape> {
  /** Folder name, configuration key, metrics label. */
  name: Name
  /**
   * The envelope kinds (`doraflowsource`) this source writes, each with its
   * pure parser. Kinds are stored in the log for ever: never rename one.
   */
  parsers: Record<Kind, Parser>
  /**
   * Routing (contracts/events.ts `routing`): which facts a service draws on.
   * `ofSubject`: the routing an envelope subject stands for (partition keys);
   * `ofService`: the routings a configured service claims through this source.
   */
  routing: {
    ofSubject(subject: string): string
    ofService(service: { name: string } & z.infer<z.ZodObject<ServiceFields>>): string[]
    /**
     * True when this source's entities are always reported under the routing
     * their identity names (a repository's deployment): the processor then
     * never looks for them under other routings. Absent: they may move (an
     * incident moved to another PagerDuty service, a deployment id reported
     * under another service name).
     */
    stable?: boolean
  }
  /** This source's slice of the configuration, parsed under `name`. */
  config?: Config
  /** Fields this source adds to each `services[]` entry (e.g. `repositories`). */
  serviceFields?: ServiceFields
  routes?: readonly SourceRoute[]
  /** OpenAPI security schemes its routes refer to. */
  securitySchemes?: Record<string, Json>
  /** Request headers that carry a secret (signatures): redacted from every log line. */
  secretHeaders?: readonly string[]
  /**
   * The sender never retries a failed delivery (GitHub): backpressure sheds the senders
   * that do retry first and refuses this one only past its hard bounds (ingest/edge/).
   */
  neverRetries?: boolean
  /** Keys of its configuration slice that hold secrets beyond the common ones (webhookSecrets, tokens, token…): redacted from every log line. */
  secretKeys?: readonly string[]
  /** A line for the start-up warning when this source takes unauthenticated deliveries, else null. */
  unauthenticated?(slice: z.infer<Config>): string | null
  /**
   * The rules the projection applies to facts of this source's kinds, from its
   * own slice (METRICS.md §2 production environments, §4 incident labels).
   * Absent: the shared defaults (sources/index.ts `rulesByOrigin`).
   */
  rules?(slice: z.infer<Config>): SourceRules
}

export interface SourceRules {
  /** Environment names (any case) that are production for this source's deployments. */
  productionEnvironments: readonly string[]
  /** Label names (any case) that make an issue of this source an incident. */
  incidentLabels: readonly string[]
  /** Issue types (any case) that make an issue an incident (GitLab's Incident, Jira's issue types); absent: none. */
  incidentTypes?: readonly string[]
}

/** Keeps the literal types of a descriptor (name, kinds, config) for the list in sources/index.ts. */
export function defineSource<const Name extends string, Kind extends string, Config extends z.ZodType = never, ServiceFields extends z.ZodRawShape = {}>(
  s: Source<Name, Kind, Config, ServiceFields>,
): Source<Name, Kind, Config, ServiceFields> {
  return s
}
