import { z } from 'zod'
import { parameters, type Json } from '../http/openapi.ts'
import { flagsQuerySchema, freezesQuerySchema, releasesQuerySchema } from '../queries/releases.ts'

/** The release API's part of the OpenAPI document (the webhooks come with their sources: sources/flags, sources/flagger). */
export const RELEASE_API_ROUTES: [string, string[]][] = [
  ['/api/v1/releases', ['GET']],
  ['/api/v1/flags', ['GET']],
  ['/api/v1/freezes', ['GET']],
]

const anyJson = z.looseObject({})
const stats = z.object({ count: z.number().int(), median: z.number().nullable(), p90: z.number().nullable(), mean: z.number().nullable() })
/** The fields METRICS.md §12–§15 add to every metrics row. */
export const releaseRowFields = {
  release: z.object({ releases: z.number(), fullReleases: z.number(), rolloutSeconds: stats, killSwitches: z.number(), timeToKillSeconds: stats, staleFlags: z.number() }),
  recoveryByPath: z.object({ rollback: stats, kill_switch: stats, fix_forward: stats, other: stats }),
  freezeDeployments: z.number(),
  freezeFailedDeployments: z.number(),
  canaryAborts: z.number(),
  blastRadiusPercent: stats,
}

const freezesAnswer = z.object({ freezes: z.array(z.object({ id: z.string(), name: z.string(), from: z.string(), to: z.string(), services: z.array(z.string()), teams: z.array(z.string()) })) })
const releasesAnswer = z.object({ releases: z.array(anyJson), killSwitches: z.array(anyJson), rollouts: z.array(anyJson) })
const flagsAnswer = z.object({
  at: z.string(),
  staleFlagDays: z.number(),
  flags: z.array(z.object({ flag: z.string(), service: z.string(), team: z.string(), provider: z.string(), environment: z.string(), exposure: z.number(), since: z.string(), daysAtExposure: z.number(), stale: z.boolean() })),
})

export function releaseApiPaths(d: { json: (schema: z.ZodType, description: string) => Json; apiErrors: Json; apiSecurity: Json[] }): Json {
  return {
    '/api/v1/releases': {
      get: {
        operationId: 'listReleases',
        summary: 'Flag releases with their full release, kill switches with their incident, canary attempts (METRICS.md §12, §15)',
        security: d.apiSecurity,
        parameters: parameters(releasesQuerySchema, 'query'),
        responses: { '200': d.json(releasesAnswer, 'newest first'), ...d.apiErrors },
      },
    },
    '/api/v1/freezes': {
      get: {
        operationId: 'listFreezes',
        summary: 'Release freezes overlapping the period: the configured ones and the `freeze`-tagged annotations (METRICS.md §14)',
        security: d.apiSecurity,
        parameters: parameters(freezesQuerySchema, 'query'),
        responses: { '200': d.json(freezesAnswer, 'by start'), ...d.apiErrors },
      },
    },
    '/api/v1/flags': {
      get: {
        operationId: 'listFlags',
        summary: 'Production flags with their exposure at `at` (default now), since when, and whether stale (100 % for more than metrics.staleFlagDays)',
        security: d.apiSecurity,
        parameters: parameters(flagsQuerySchema, 'query'),
        responses: { '200': d.json(flagsAnswer, 'flags by service'), ...d.apiErrors },
      },
    },
  }
}
