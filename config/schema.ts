import { dirname, join } from 'node:path'
import { z } from 'zod'
import { INDUSTRIES, ORG_SIZES, TIER_SETS } from '../benchmarks/index.ts'
import { sourceConfigShape, sourceServiceShape } from '../sources/index.ts'
import { secretList, timezone } from './fields.ts'
import { rulesConfig } from './rules.ts'

import { freezeSchema } from './release-schema.ts'

const tierThresholds = z.object({
  /** deploymentsPerDay: elite when > elite; high when >= high; medium when >= medium; else low. */
  deploymentFrequency: z.object({ elite: z.number(), high: z.number(), medium: z.number() }),
  /** median lead time seconds: elite when < elite; high when < high; medium when < medium; else low. */
  leadTime: z.object({ elite: z.number(), high: z.number(), medium: z.number() }),
  timeToRestore: z.object({ elite: z.number(), high: z.number(), medium: z.number() }),
  /** changeFailureRate: elite when <= elite; high when <= high; medium when <= medium; else low. */
  changeFailureRate: z.object({ elite: z.number(), high: z.number(), medium: z.number() }),
})
export type TierThresholds = z.infer<typeof tierThresholds>

/** §7's table, from benchmarks/tier-sets.json like every named set. */
export const DEFAULT_TIERS: TierThresholds = TIER_SETS['dora-2021']!.thresholds

export const serviceSchema = z.object({
  name: z.string().min(1),
  team: z.string().min(1).default('unassigned'),
  timezone: timezone.default('UTC'),
  environments: z.array(z.string().min(1)).optional(),
  // Each source's own fields (github: repositories, pagerduty: pagerdutyServices), from sources/index.ts.
  ...sourceServiceShape(),
  /** METRICS.md §16: in a shared repository, the globs of the files this service owns. */
  paths: z.array(z.string().min(1)).min(1).optional(),
})
export type ServiceConfig = z.infer<typeof serviceSchema>

export const configSchema = z
  .object({
    server: z
      .object({
        port: z.number().int().min(0).max(65535).default(8080),
        host: z.string().default('0.0.0.0'),
        /** A client must send its request headers within this time (slowloris); docs/SECURITY.md. */
        headersTimeoutMs: z.number().int().positive().default(10_000),
        /** The whole request (headers and body) must arrive within this time. */
        requestTimeoutMs: z.number().int().positive().default(60_000),
        /** An idle keep-alive connection is closed after this time. */
        keepAliveTimeoutMs: z.number().int().positive().default(5_000),
        /** Requests in flight at once (probes excluded); more are answered 503 + Retry-After. */
        maxConcurrentRequests: z.number().int().positive().default(256),
        /**
         * Token bucket per client address for requests that did NOT verify (no or a wrong
         * signature/token; probes excluded): an empty bucket answers 429 + Retry-After to requests
         * that carry no credential. A verified delivery is never charged nor refused. 0 turns it off.
         */
        rateLimit: z
          .object({
            requestsPerSecond: z.number().min(0).default(50),
            burst: z.number().int().positive().default(500),
          })
          .prefault({}),
        /** Express "trust proxy": set it (e.g. 1, or "10.0.0.0/8") only behind a reverse proxy, so rate limits key on the real client. */
        trustProxy: z.union([z.boolean(), z.number().int().min(0), z.string()]).default(false),
        /** Cross-origin reads of GET /api/* and /openapi.json: off unless origins are listed ("*" for any). */
        cors: z.object({ origins: z.array(z.string().min(1)).default([]) }).prefault({}),
      })
      .prefault({}),
    log: z
      .object({
        kind: z.enum(['embedded', 'kafka']).default('embedded'),
        path: z.string().default('./data/log'),
        brokers: z.array(z.string()).default(['localhost:9092']),
        topic: z.string().default('doraflow.events'),
        clientId: z.string().default('doraflow'),
        partitions: z.number().int().positive().default(6),
        replicationFactor: z.number().int().positive().default(1),
        spoolPath: z.string().default('./data/spool'),
      })
      .prefault({}),
    clickhouse: z
      .object({
        kind: z.enum(['embedded', 'server']).default('embedded'),
        path: z.string().default('./data/clickhouse'),
        url: z.string().default('http://localhost:8123'),
        username: z.string().default('default'),
        password: z.string().nullable().default(''),
        database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _ only').default('doraflow'),
        cluster: z.string().nullable().optional(),
      })
      .prefault({}),
    api: z
      .object({
        /** Read-only tokens: GET /api/*. */
        tokens: secretList,
        /** Admin tokens: everything read tokens may do, plus state-changing /api routes (replay, annotations). */
        // Optional in the type only (parsing always gives an array), so hand-built configs need not name it.
        adminTokens: secretList.optional(),
      })
      .prefault({}),
    ingest: z
      .object({
        /** GitHub caps payloads at 25 MB. */
        maxBodyBytes: z.number().int().positive().default(25 * 1024 * 1024),
        /** After an early answer (401, 413, …) the rest of the body is read and discarded up to these bounds, then the socket is cut. */
        drain: z.object({ maxBytes: z.number().int().min(0).default(64 * 1024 * 1024), maxMs: z.number().int().positive().default(10_000) }).prefault({}),
        /**
         * Backpressure (docs/SECURITY.md, "Overload"): bytes of webhook bodies being read or
         * waiting for the log writer. Senders that retry (PagerDuty, POST /events) get 503 +
         * Retry-After past `shedRetryingAboveBytes`; every sender (GitHub too) past `maxBytesInFlight`,
         * past `maxHeapBytes` of V8 heap, or when the log's disk has less than `minFreeDiskBytes`.
         */
        backpressure: z
          .object({
            maxBytesInFlight: z.number().int().positive().default(256 * 1024 * 1024),
            shedRetryingAboveBytes: z.number().int().positive().default(64 * 1024 * 1024),
            maxHeapBytes: z.number().int().positive().default(1024 * 1024 * 1024),
            minFreeDiskBytes: z.number().int().min(0).default(256 * 1024 * 1024),
          })
          .prefault({}),
      })
      .prefault({}),
    // One slice per source, under its name (sources/<name>/config.ts): github, pagerduty, events.
    ...sourceConfigShape(),
    metrics: z
      .object({
        timezone: timezone.default('UTC'),
        incidentAttributionWindowHours: z.number().min(0).default(24),
        tierSet: z.string().default('dora-2021'),
        tierSets: z.record(z.string(), tierThresholds).default({}),
        /** METRICS.md §17: which published Quick Check benchmark rows the scores are compared with. */
        benchmark: z
          .object({
            industry: z.enum(INDUSTRIES as [string, ...string[]]).default('all'),
            orgSize: z.enum(ORG_SIZES as [string, ...string[]]).default('all'),
          })
          .prefault({}),
        ...rulesConfig,
        /** A flag at 100 % unchanged for longer than this is stale (METRICS.md §12). */
        staleFlagDays: z.number().positive().default(30),
      })
      .prefault({}),
    processor: z
      .object({
        // Live batches: small enough that one batch never holds the event loop (ingest shares it) for long; replay reads its own 5,000.
        batchSize: z.number().int().positive().default(500),
        pollIntervalMs: z.number().int().positive().default(200),
        group: z.string().default('doraflow-processor'),
        /** `serve` runs the processor and the API (which need ClickHouse) in a second process, so ingest has an event loop and a core of its own (embedded log or Kafka). */
        ownProcess: z.boolean().default(true),
        /**
         * With ownProcess: the second process's CPU priority, so that under a burst the cores answer
         * deliveries first and processing lags (the log holds everything) until it is over. `low`
         * (nice 10) still gets a share against busy neighbours; `idle` (Linux SCHED_IDLE) runs only
         * on what nothing else wants (for a machine doraflow has to itself); `normal`: as ingest.
         */
        cpuPriority: z.enum(['idle', 'low', 'normal']).default('low'),
      })
      .prefault({}),
    /**
     * Where `doraflow import` keeps its checkpoints, ETags and runs (not facts: those are in the log).
     * Unset: beside the embedded log (`<log.path>/../imports`), so a data folder stays one folder.
     */
    imports: z.object({ path: z.string().optional() }).prefault({}),
    services: z.array(serviceSchema).default([]),
    freezes: z.array(freezeSchema).default([]),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>()
    cfg.services.forEach((s, i) => {
      if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: ['services', i, 'name'], message: `duplicate service name "${s.name}"` })
      seen.add(s.name)
    })
    const set = cfg.metrics.tierSet
    if (!(set in TIER_SETS) && !(set in cfg.metrics.tierSets)) {
      ctx.addIssue({ code: 'custom', path: ['metrics', 'tierSet'], message: `unknown tier set "${set}" (define it under metrics.tierSets or use one of ${Object.keys(TIER_SETS).join(', ')})` })
    }
  })
  .transform((cfg) => ({ ...cfg, imports: { path: cfg.imports.path ?? join(dirname(cfg.log.path), 'imports') } }))

export type Config = z.infer<typeof configSchema>

export function tierThresholdsOf(cfg: Config): TierThresholds {
  return cfg.metrics.tierSets[cfg.metrics.tierSet] ?? TIER_SETS[cfg.metrics.tierSet]?.thresholds ?? DEFAULT_TIERS
}
