/**
 * What an import is asked to do, from the command line or POST /api/v1/imports:
 * one schema, so both refuse the same mistakes with the same words.
 */
import { z } from 'zod'

/** A date (midnight UTC) or an ISO date-time; kept as an ISO instant, the form GitHub's `since` takes. */
const instant = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}([T ].*)?$/.test(s) && !Number.isNaN(Date.parse(s)), { message: 'must be a date (2026-07-01) or an ISO date-time' })
  .transform((s) => new Date(Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s)).toISOString())

const range = <T extends { since?: string | undefined; until?: string | undefined }>(r: T) => !r.since || !r.until || r.since < r.until

export const githubImportSchema = z
  .object({
    source: z.literal('github'),
    repos: z.array(z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'must be owner/name')).default([]),
    org: z.string().min(1).optional(),
    since: instant.optional(),
    until: instant.optional(),
  })
  .refine((r) => r.repos.length > 0 || r.org !== undefined, { message: 'name repositories (repos / --repo OWNER/NAME) or an organisation (org / --org ORG)', path: ['repos'] })
  .refine((r) => !(r.repos.length > 0 && r.org !== undefined), { message: 'name repositories or an organisation, not both', path: ['org'] })
  .refine(range, { message: 'since must be before until', path: ['until'] })

export const pagerdutyImportSchema = z
  .object({
    source: z.literal('pagerduty'),
    services: z.array(z.string().min(1)).default([]),
    since: instant.optional(),
    until: instant.optional(),
  })
  .refine(range, { message: 'since must be before until', path: ['until'] })

export const gitlabImportSchema = z
  .object({
    source: z.literal('gitlab'),
    projects: z.array(z.string().regex(/^[^/\s]+(\/[^/\s]+)+$/, 'must be a project path such as group/name or group/subgroup/name')).default([]),
    group: z.string().min(1).optional(),
    since: instant.optional(),
    until: instant.optional(),
  })
  .refine((r) => r.projects.length > 0 || r.group !== undefined, { message: 'name projects (projects / --project GROUP/NAME) or a group (group / --group GROUP)', path: ['projects'] })
  .refine((r) => !(r.projects.length > 0 && r.group !== undefined), { message: 'name projects or a group, not both', path: ['group'] })
  .refine(range, { message: 'since must be before until', path: ['until'] })

export const importRequestSchema = z.union([githubImportSchema, pagerdutyImportSchema, gitlabImportSchema])
export type ImportRequest = z.infer<typeof importRequestSchema>

export const describeIssues = (e: z.ZodError): string => e.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ')
