/**
 * What `doraflow import github` writes into the event log: one envelope per
 * API record (with the records it cannot be understood without), so that a
 * re-import of an unchanged record is the same envelope and the log stores it
 * once. The API's JSON is kept as it came; only the wrapping is ours.
 */
import { buildEnvelope } from '../../../ingest/envelope.ts'
import type { Envelope } from '../../../contracts/envelope.ts'

/** The repository as `GET /repos/{owner}/{repo}` answered (the fields the parser reads). */
export interface RepoRef {
  full_name: string
  default_branch: string
}

export type GithubApiRecord =
  | { resource: 'deployment'; repository: RepoRef; deployment: Record<string, unknown>; statuses: Record<string, unknown>[] }
  /** `files`: the "Get a commit" response's `files` as they came, only where `paths` split the repository (files.ts). */
  | { resource: 'commit'; repository: RepoRef; commit: Record<string, unknown>; files?: Record<string, unknown>[] }
  | { resource: 'pull'; repository: RepoRef; pull: Record<string, unknown> }
  | { resource: 'issue'; repository: RepoRef; issue: Record<string, unknown>; events: Record<string, unknown>[] }

export const GITHUB_API_TYPE = {
  deployment: 'com.github.api.deployment',
  commit: 'com.github.api.commit',
  pull: 'com.github.api.pull',
  issue: 'com.github.api.issue',
} as const

/**
 * The delivery id names the record and its version: statuses only accumulate
 * (their count is the version), commits never change, a pull request or issue
 * changes with its `updated_at`.
 */
function versionOf(r: GithubApiRecord): string {
  switch (r.resource) {
    case 'deployment':
      return `${String(r.deployment['id'])}:${r.statuses.map((s) => String(s['id'])).sort().join(',')}`
    case 'commit':
      // With its files it is another record: a re-import after `paths` were added must reach the log.
      return r.files ? `${String(r.commit['sha'])}:files` : String(r.commit['sha'])
    case 'pull':
      return `${String(r.pull['number'])}:${String(r.pull['updated_at'])}`
    case 'issue':
      return `${String(r.issue['number'])}:${String(r.issue['updated_at'])}:${r.events.length}`
    default: {
      const never: never = r
      return String(never)
    }
  }
}

export function githubApiEnvelope(r: GithubApiRecord, now?: Date): Envelope {
  const repo = r.repository.full_name.toLowerCase()
  return buildEnvelope(
    {
      source: 'github-api',
      deliveryId: `${repo}:${r.resource}:${versionOf(r)}`,
      path: `/import/github/${r.repository.full_name}`,
      type: GITHUB_API_TYPE[r.resource],
      subject: repo,
      headers: {},
      data: JSON.stringify(r),
    },
    now,
  )
}
