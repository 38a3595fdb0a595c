/**
 * What `doraflow import gitlab` writes into the event log: one `gitlab-api`
 * envelope per API record with its project, so a re-import of an unchanged
 * record is the same envelope and the log stores it once.
 */
import { buildEnvelope } from '../../../ingest/envelope.ts'
import type { Envelope } from '../../../contracts/envelope.ts'

/** `GET /projects/{id}` as answered (the fields the parser reads). */
export interface ProjectRef {
  path_with_namespace: string
  default_branch: string | null
}

export type GitlabApiResource = 'deployment' | 'commit' | 'merge_request' | 'issue'
export interface GitlabApiRecord {
  resource: GitlabApiResource
  project: ProjectRef
  record: Record<string, unknown>
}

/** A record's version: deployments and MRs and issues change with `updated_at`; a commit never changes. */
const versionOf = (r: GitlabApiRecord): string => (r.resource === 'commit' ? String(r.record['id']) : `${String(r.record['iid'] ?? r.record['id'])}:${String(r.record['updated_at'])}`)

export function gitlabApiEnvelope(r: GitlabApiRecord, now?: Date): Envelope {
  const project = r.project.path_with_namespace.toLowerCase()
  return buildEnvelope(
    {
      source: 'gitlab-api',
      deliveryId: `${project}:${r.resource}:${versionOf(r)}`,
      path: `/import/gitlab/${r.project.path_with_namespace}`,
      type: `com.gitlab.api.${r.resource}`,
      subject: project,
      headers: {},
      data: JSON.stringify(r),
    },
    now,
  )
}
