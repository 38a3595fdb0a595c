import { z } from 'zod'
import { sourceConfigShape, sourceServiceShape } from '../sources/index.ts'
import { secretList, timezone } from './fields.ts'

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

export const DEFAULT_TIERS: TierThresholds = {
  deploymentFrequency: { elite: 1, high: 1 / 7, medium: 1 / 30 },
  leadTime: { elite: 86400, high: 7 * 86400, medium: 30 * 86400 },
  timeToRestore: { elite: 3600, high: 86400, medium: 7 * 86400 },
  changeFailureRate: { elite: 0.15, high: 0.3, medium: 0.45 },
}

export const serviceSchema = z.object({
  name: z.string().min(1),
  team: z.string().min(1).default('unassigned'),
  timezone: timezone.default('UTC'),
  environments: z.array(z.string().min(1)).optional(),
  // Each source's own fields (github: repositories, pagerduty: pagerdutyServices), from sources/index.ts.
  ...sourceServiceShape(),
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
        /** Token bucket per client address (probes excluded); over it: 429 + Retry-After. 0 turns it off. */
        rateLimit: z
          .object({
            requestsPerSecond: z.number().min(0).default(500),
            burst: z.number().int().positive().default(5000),
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
      })
      .prefault({}),
    processor: z
      .object({
        // Live batches: small enough that one batch never holds the event loop (ingest shares it) for long; replay reads its own 5,000.
        batchSize: z.number().int().positive().default(500),
        pollIntervalMs: z.number().int().positive().default(200),
        group: z.string().default('doraflow-processor'),
      })
      .prefault({}),
    services: z.array(serviceSchema).default([]),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>()
    cfg.services.forEach((s, i) => {
      if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: ['services', i, 'name'], message: `duplicate service name "${s.name}"` })
      seen.add(s.name)
    })
    const set = cfg.metrics.tierSet
    if (set !== 'dora-2021' && !(set in cfg.metrics.tierSets)) {
      ctx.addIssue({ code: 'custom', path: ['metrics', 'tierSet'], message: `unknown tier set "${set}" (define it under metrics.tierSets or use dora-2021)` })
    }
  })

export type Config = z.infer<typeof configSchema>

export function tierThresholdsOf(cfg: Config): TierThresholds {
  return cfg.metrics.tierSets[cfg.metrics.tierSet] ?? DEFAULT_TIERS
}
