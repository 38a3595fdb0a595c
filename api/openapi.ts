import { importRequestSchema } from '../sources/shared/import/request.ts'
import { z } from 'zod'
import type { Config } from '../config/schema.ts'
import { acceptedSchema, errorSchema } from '../http/schemas.ts'
import { jsonSchema, parameters, type Json } from '../http/openapi.ts'
import { ALL_SOURCES, isSecured } from '../sources/index.ts'
import { DEAD_LETTER_CODES } from '../contracts/events.ts'
import { BUCKETS, GROUP_BYS, metricsQuerySchema } from '../queries/periods.ts'
import { annotationIdSchema, annotationInputSchema } from '../sources/annotation/schema.ts'
import { annotationsQuerySchema } from '../queries/annotations.ts'
import { correctionsQuerySchema } from '../queries/corrections.ts'
import { correctionInputSchema } from '../sources/correction/schema.ts'
import { deadLettersQuerySchema } from '../queries/dead-letters.ts'
import { statusAnswerSchema } from './status.ts'
import { recordsQuerySchema } from '../queries/records.ts'
import { SCORE_KEYS } from '../queries/scores.ts'
import { TIERS } from '../queries/tiers.ts'
import { RELEASE_API_ROUTES, releaseApiPaths, releaseRowFields } from './release-openapi.ts'

/**
 * The OpenAPI 3.1 description of every route, built from the zod schemas the
 * routes validate with (query parameters, POST /events bodies, webhook headers
 * and bodies): change a schema and the description follows. Served at
 * GET /openapi.json; fuzzed by schemathesis (scripts/security/schemathesis.sh).
 */

// ---- answers (documented here; the routes build them) ----
const tier = z.enum(TIERS).nullable()
const stats = z.object({ count: z.number().int(), median: z.number().nullable(), p90: z.number().nullable(), mean: z.number().nullable() })
export const metricsRowSchema = z.looseObject({
  service: z.string().optional(),
  team: z.string().optional(),
  bucketStart: z.string().nullable(),
  deployments: z.number(),
  deploymentsPerDay: z.number(),
  failedAttempts: z.number(),
  leadTimeSeconds: stats,
  failedDeployments: z.number(),
  changeFailureRate: z.number().nullable(),
  incidents: z.number(),
  timeToRestoreSeconds: stats,
  failedDeploymentRecoverySeconds: stats,
  reworkDeployments: z.number(),
  reworkRate: z.number().nullable(),
  tiers: z.looseObject({ deploymentFrequency: tier, leadTime: tier, timeToRestore: tier, changeFailureRate: tier, overall: tier }),
  scores: z.object(Object.fromEntries(SCORE_KEYS.map((k) => [k, z.number().min(0).max(10).nullable()]))).describe('DORA Quick Check scores, 0–10 (METRICS.md §17)'),
  ...releaseRowFields,
})
const benchmark = z.object({ key: z.string(), name: z.string(), source: z.string(), scores: z.object(Object.fromEntries(SCORE_KEYS.map((k) => [k, z.object({ mean: z.number(), sd: z.number() })]))) })
export const metricsAnswerSchema = z.looseObject({
  from: z.string(),
  to: z.string(),
  tz: z.string(),
  groupBy: z.enum(GROUP_BYS),
  bucket: z.enum(BUCKETS).nullable(),
  rows: z.array(metricsRowSchema),
  benchmark: z.object({ edition: z.string(), industry: benchmark, orgSize: benchmark }).describe('published Quick Check benchmarks chosen by metrics.benchmark'),
})
const record = z.looseObject({ id: z.string(), service: z.string() })
const deploymentsAnswer = z.looseObject({ deployments: z.array(record.extend({ changes: z.array(z.looseObject({})) })) })
const incidentsAnswer = z.looseObject({ incidents: z.array(record.extend({ timeline: z.array(z.looseObject({})) })) })
const annotationView = z.object({
  id: z.string(),
  at: z.string(),
  endAt: z.string().nullable(),
  text: z.string(),
  tags: z.array(z.string()),
  service: z.string().nullable(),
  team: z.string().nullable(),
})
const deadLettersAnswer = z.object({
  total: z.number().int(),
  byReason: z.record(z.string(), z.number().int()).meta({ description: 'dead letters in the period per reason code' }),
  deadLetters: z.array(
    z.object({ envelopeId: z.string(), logOffset: z.number(), envelopeType: z.string(), reason: z.string(), reasonCode: z.enum([...DEAD_LETTER_CODES, '']), recordedAt: z.string() }),
  ),
})
const annotationsAnswer = z.object({ annotations: z.array(annotationView) })
const correctionView = z.looseObject({ id: z.string(), incident: z.string().nullable(), deployment: z.string().nullable(), failed: z.boolean().nullable(), by: z.string(), reason: z.string(), at: z.string() })
const correctionsAnswer = z.object({ corrections: z.array(correctionView.extend({ effective: z.boolean() })) })
const correctionAccepted = acceptedSchema.extend({ correction: correctionView.extend({ known: z.object({ incident: z.boolean().nullable(), deployment: z.boolean().nullable() }) }) })
const annotationAccepted = acceptedSchema.extend({ annotation: z.looseObject({ id: z.string() }) })
const replayState = z.looseObject({
  status: z.enum(['idle', 'running', 'succeeded', 'failed']),
  startedAt: z.string().nullable().optional(),
  finishedAt: z.string().nullable().optional(),
  progress: z.looseObject({ phase: z.enum(['facts', 'services']), done: z.number(), total: z.number() }).nullable().optional(),
  result: z.looseObject({ events: z.number(), facts: z.number() }).nullable().optional(),
  error: z.string().nullable().optional(),
})
const replayAnswer = replayState.extend({ available: z.boolean(), message: z.string().optional() })
const replayAccepted = z.looseObject({ accepted: z.literal(true), message: z.string(), replay: replayState })
const importRun = z.looseObject({
  id: z.string(),
  source: z.string(),
  request: z.unknown(),
  status: z.enum(['running', 'succeeded', 'failed', 'interrupted']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  progress: z.unknown().describe('counters (recordsRead, newFacts, requests, notModified, retries, waitedOnLimitsMs) and scopes (per repository or service: status, resource, read, newFacts, estimatedTotal, problem)'),
  summary: z.unknown().nullable(),
})
const importsAnswer = z.looseObject({ running: z.boolean(), runs: z.array(importRun) })
const importAccepted = z.looseObject({ accepted: z.literal(true), id: z.string(), message: z.string() })
const healthAnswer = z.looseObject({ status: z.literal('ok'), service: z.literal('doraflow'), roles: z.looseObject({ ingest: z.boolean(), process: z.boolean() }) })
const readyAnswer = z.looseObject({
  status: z.enum(['ready', 'not ready']),
  checks: z.looseObject({ log: z.boolean(), clickhouse: z.boolean().nullable(), processor: z.string() }),
})

const json = (schema: z.ZodType, description: string, headers?: Json): Json => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: jsonSchema(schema, 'output') } },
})
const retryAfter = { 'Retry-After': { description: 'seconds to wait before retrying', schema: { type: 'string', pattern: '^[0-9]+$' } } }
const error = (description: string, headers?: Json) => json(errorSchema, description, headers)

/** Answers any non-probe route may give under load (http/limits.ts). */
const LOAD = {
  '429': error('too many unverified requests from this client address (server.rateLimit); a valid signature or token is never limited', retryAfter),
  '503': error('overloaded (server.maxConcurrentRequests), or a store is unavailable; retry later', retryAfter),
}
const INGEST_ERRORS = {
  '400': error('malformed delivery: missing header, invalid JSON or UTF-8, not an object, missing fields; the message says which'),
  '401': error('missing or bad signature / token: nothing was stored'),
  '403': error('no secret is configured for this source and the caller is not on loopback'),
  '413': error('body larger than ingest.maxBodyBytes (checked while streaming)'),
  '415': error('unsupported Content-Type'),
  ...LOAD,
  '503': error('backpressure (ingest.backpressure: bytes in flight, heap, free disk; senders that retry are shed first), or the event log is unavailable: nothing was stored, retry later', retryAfter),
}
const API_ERRORS = {
  '400': error('invalid query parameter; `issues` names each'),
  '401': error('missing or unknown bearer token', { 'WWW-Authenticate': { schema: { type: 'string' } } }),
  '403': error('the token lacks the scope this route needs'),
  ...LOAD,
}

/** Paths and their methods, for 405 answers (http/headers.ts methodNotAllowed). */
export const ROUTES: ReadonlyMap<string, readonly string[]> = new Map([
  ...ALL_SOURCES.flatMap((s) => (s.routes ?? []).map((r) => [r.path, [r.method.toUpperCase()]] as [string, string[]])),
  ['/api/v1/metrics', ['GET']],
  ['/api/v1/deployments', ['GET']],
  ['/api/v1/incidents', ['GET']],
  ['/api/v1/dead-letters', ['GET']],
  ['/api/v1/status', ['GET']],
  ['/api/v1/annotations', ['GET', 'POST']],
  ['/api/v1/annotations/{id}', ['DELETE']],
  ['/api/v1/corrections', ['GET', 'POST']],
  ['/api/v1/replay', ['GET', 'POST']],
  ['/api/v1/imports', ['GET', 'POST']],
  ['/healthz', ['GET']],
  ['/readyz', ['GET']],
  ['/metrics', ['GET']],
  ['/openapi.json', ['GET']],
  ...RELEASE_API_ROUTES,
])

export interface OpenApiOptions {
  /** Which security applies follows the config: a source with no secret is loopback-only, not signed. */
  config?: Config
  version?: string
}

export function openApiDocument(opts: OpenApiOptions = {}): Json {
  const cfg = opts.config
  const apiSecurity = cfg && cfg.api.tokens.length + (cfg.api.adminTokens?.length ?? 0) === 0 ? [] : [{ apiToken: [] }]
  const accepted = { '202': json(acceptedSchema, 'durably stored in the event log (or a redelivery of a stored one: duplicate true)') }

  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'doraflow',
      version: opts.version ?? '0.1.0',
      description:
        'DORA metrics pipeline: signed webhooks → event log → processors → ClickHouse → query API. ' +
        'Every error is JSON `{error, message}`. A webhook is answered 2xx only once it is durable; ' +
        'a storage outage is 503 (PagerDuty retries 5xx and 429). See docs/SECURITY.md.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        ...Object.assign({}, ...ALL_SOURCES.map((s) => s.securitySchemes ?? {})),
        apiToken: { type: 'http', scheme: 'bearer', description: 'one of api.tokens (read) or api.adminTokens (read and admin)' },
      },
    },
    paths: {
      // Every source's delivery routes (sources/<name>/index.ts), with the answers all of them give.
      ...Object.fromEntries(
        ALL_SOURCES.flatMap((src) =>
          (src.routes ?? []).map((r) => [r.path, { [r.method]: { ...r.openapi(cfg ? (r.secured?.(cfg) ?? isSecured(src, cfg)) : undefined), responses: { ...accepted, ...INGEST_ERRORS } } }]),
        ),
      ),
      ...releaseApiPaths({ json, apiErrors: API_ERRORS, apiSecurity }),
      '/api/v1/metrics': {
        get: {
          operationId: 'getMetrics',
          summary: 'The metrics answer (METRICS.md §8)',
          security: apiSecurity,
          parameters: parameters(metricsQuerySchema, 'query', {
            from: 'start of the period: a date (midnight in tz) or an ISO date-time; default 90 days before `to`',
            to: 'end of the period (exclusive); default now',
            tz: 'IANA timezone for dates and buckets; default metrics.timezone',
          }),
          responses: { '200': json(metricsAnswerSchema, 'the figures per group (and bucket)'), ...API_ERRORS },
        },
      },
      '/api/v1/deployments': {
        get: {
          operationId: 'listDeployments',
          summary: 'The deployments behind the figures, with their changes',
          security: apiSecurity,
          parameters: parameters(recordsQuerySchema, 'query'),
          responses: { '200': json(deploymentsAnswer, 'deployments, newest first'), ...API_ERRORS },
        },
      },
      '/api/v1/incidents': {
        get: {
          operationId: 'listIncidents',
          summary: 'The incidents behind the figures, with their timelines',
          security: apiSecurity,
          parameters: parameters(recordsQuerySchema, 'query'),
          responses: { '200': json(incidentsAnswer, 'incidents, newest first'), ...API_ERRORS },
        },
      },
      '/api/v1/dead-letters': {
        get: {
          operationId: 'listDeadLetters',
          summary: 'Envelopes that could not be processed, with the reason (newest first; the raw payloads stay out)',
          security: apiSecurity,
          parameters: parameters(deadLettersQuerySchema, 'query', { from: 'recorded at or after', to: 'recorded before' }),
          responses: { '200': json(deadLettersAnswer, '`total` in the period, and up to `limit` of them'), ...API_ERRORS },
        },
      },
      '/api/v1/status': {
        get: {
          operationId: 'status',
          summary: 'Tier thresholds, processor lag, dead letters by reason and the last delivery per source (the overview banner and charts)',
          security: apiSecurity,
          responses: { '200': json(statusAnswerSchema, 'where the pipeline stands'), ...API_ERRORS },
        },
      },
      '/api/v1/annotations': {
        get: {
          operationId: 'listAnnotations',
          summary: 'Annotations on the timeline (a service filter keeps those about no service too)',
          security: apiSecurity,
          parameters: parameters(annotationsQuerySchema, 'query'),
          responses: { '200': json(annotationsAnswer, 'annotations overlapping the period, oldest first'), ...API_ERRORS },
        },
        post: {
          operationId: 'addAnnotation',
          summary: 'Pin an annotation on the timeline (admin token)',
          description: 'Appended to the event log like a webhook (answered once durable) and shown once processed. Posting the same `id` again stores nothing new.',
          security: apiSecurity,
          requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(annotationInputSchema) } } },
          responses: {
            '202': json(annotationAccepted, 'durably stored in the event log'),
            ...API_ERRORS,
            '400': error('invalid JSON or annotation; the message names the field'),
            '413': error('an annotation is at most 64 KiB'),
            '415': error('Content-Type must be application/json'),
          },
        },
      },
      '/api/v1/annotations/{id}': {
        delete: {
          operationId: 'removeAnnotation',
          summary: 'Take an annotation off the timeline (admin token)',
          security: apiSecurity,
          parameters: [{ name: 'id', in: 'path', required: true, schema: jsonSchema(annotationIdSchema) }],
          responses: {
            '202': json(annotationAccepted, 'the removal is durably stored in the event log; `annotation.onTimeline` says whether it was shown (false: unknown id, or an addition not processed yet; null: ClickHouse unreachable)'),
            ...API_ERRORS,
            '400': error('not a valid annotation id'),
          },
        },
      },
      '/api/v1/corrections': {
        get: {
          operationId: 'listCorrections',
          summary: 'Corrections on record (METRICS.md §18), newest first; `effective` is false for one a later correction of the same target replaced',
          security: apiSecurity,
          parameters: parameters(correctionsQuerySchema, 'query'),
          responses: { '200': json(correctionsAnswer, 'the corrections'), ...API_ERRORS },
        },
        post: {
          operationId: 'addCorrection',
          summary: 'Overrule the attribution rules (admin token): an incident caused no failure, or was caused by one deployment; or a deployment is failed or not',
          description: 'Appended to the event log like a webhook (answered once durable) and applied at projection time, so a replay keeps it. It may name records not seen yet: it applies when they arrive (`correction.known` says whether they are). Of two corrections of one target the latest (at, id) wins.',
          security: apiSecurity,
          requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(correctionInputSchema) } } },
          responses: {
            '202': json(correctionAccepted, 'durably stored in the event log'),
            ...API_ERRORS,
            '400': error('invalid JSON or correction; the message names the field'),
            '413': error('a correction is at most 16 KiB'),
            '415': error('Content-Type must be application/json'),
          },
        },
      },
      '/api/v1/imports': {
        get: {
          operationId: 'listImports',
          summary: 'Import runs (newest first): what was read, how far, what is left; the running one live',
          security: apiSecurity,
          responses: { '200': json(importsAnswer, 'the last 20 runs'), ...API_ERRORS },
        },
        post: {
          operationId: 'startImport',
          summary: 'Start an import from a source REST API in this serve (admin token)',
          description: 'Body: `{"source": "github", "repos": ["owner/name"] | "org": "ORG", "since", "until"}` or `{"source": "pagerduty", "services": [ids], "since", "until"}` or `{"source": "gitlab", "projects": ["group/name"] | "group": "GROUP", "since", "until"}`. What it reads goes to the event log as `github-api` / `pagerduty-api` / `gitlab-api` envelopes (METRICS.md §10).',
          security: apiSecurity,
          requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(importRequestSchema) } } },
          responses: {
            '202': json(importAccepted, 'started; follow it with GET /api/v1/imports', { Location: { schema: { type: 'string' } } }),
            '409': error('an import is already running'),
            ...API_ERRORS,
            '400': error('invalid JSON or import request; the message names the field'),
            '413': error('an import request is at most 64 KiB'),
            '415': error('Content-Type must be application/json'),
          },
        },
      },
      '/api/v1/replay': {
        get: {
          operationId: 'replayStatus',
          summary: 'Where the last replay started from the API stands',
          security: apiSecurity,
          responses: { '200': json(replayAnswer, 'idle, running (with progress), succeeded (with counts) or failed (with the reason)'), ...API_ERRORS },
        },
        post: {
          operationId: 'startReplay',
          summary: 'Rebuild every table from the event log in this serve (admin token)',
          description: 'Pauses the embedded processor, replays, resumes. Figures are partial while it runs. Not available in Kafka mode: run `doraflow replay` with the processors stopped.',
          security: apiSecurity,
          responses: {
            '202': json(replayAccepted, 'started; follow it with GET /api/v1/replay', { Location: { schema: { type: 'string' } } }),
            '409': error('a replay is already running, or this process does not run the embedded processor'),
            ...API_ERRORS,
          },
        },
      },
      '/healthz': { get: { operationId: 'healthz', summary: 'liveness', security: [], responses: { '200': json(healthAnswer, 'the process is up') } } },
      '/readyz': {
        get: {
          operationId: 'readyz',
          summary: 'readiness: the log takes writes and ClickHouse answers',
          security: [],
          responses: { '200': json(readyAnswer, 'ready'), '503': json(readyAnswer, 'not ready; `checks` says what is down') },
        },
      },
      '/metrics': {
        get: {
          operationId: 'prometheusMetrics',
          summary: 'Prometheus metrics of the pipeline itself',
          security: [],
          responses: { '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openapi',
          summary: 'this document',
          security: [],
          responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } }, ...LOAD },
        },
      },
    },
  }
}
