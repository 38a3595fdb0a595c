import type { DeploymentReported, Origin } from '../../contracts/events.ts'
import type { ServiceDirectory, ServiceInfo } from './services.ts'
import { ms } from './time.ts'

/** A production deployment before failure analysis. */
export interface DeploymentDraft {
  id: string
  service: ServiceInfo
  origin: Origin
  repo: string | null
  environment: string
  sha: string | null
  artifact: string | null
  /** What was deployed, for rollback detection: the sha, else the artifact. */
  version: string
  deployedAt: number
  url: string | null
  declaredRollback: boolean
}

export interface FailedAttemptDraft {
  id: string
  service: ServiceInfo
  deploymentId: string
  environment: string
  state: string
  at: number
}

export interface DeploymentsFound {
  deployments: DeploymentDraft[]
  failedAttempts: FailedAttemptDraft[]
}

const FAILED_STATES = new Set(['failure', 'error'])

/**
 * §2: a deployment counts once, at the time of its earliest `success` report
 * (ties: the smaller version, then the smaller key, so the choice never depends
 * on arrival order); it is a rollback when any success report declares one.
 * Every `failure`/`error` report on a production deployment is one failed
 * attempt at its own time. The service: the configured one(s) claiming the
 * report's routing whose environments make it production, else the implied one.
 */
export function findDeployments(reports: DeploymentReported[], dir: ServiceDirectory, spelling: (routing: string, fallback: string) => string): DeploymentsFound {
  const found = new Map<string, DeploymentDraft & { key: string }>()
  const failedAttempts: FailedAttemptDraft[] = []
  for (const r of reports) {
    const service = dir.forDeployment(r.routing, spelling(r.routing, r.serviceName), r.team, r.origin, r.environment, r.productionEnvironment)
    if (!service) continue
    const id = `${r.origin}:${r.deploymentId}`
    const at = ms(r.at)
    if (FAILED_STATES.has(r.status)) {
      failedAttempts.push({ id: `${id}/${r.reportId}`, service, deploymentId: id, environment: r.environment, state: r.status, at })
      continue
    }
    if (r.status !== 'success') continue
    const sha = r.sha?.toLowerCase() ?? null
    const draft = {
      id,
      key: r.key,
      service,
      origin: r.origin,
      repo: r.repo === null ? null : spelling(r.routing, r.repo),
      environment: r.environment,
      sha,
      artifact: r.artifact,
      version: sha ?? r.artifact ?? '',
      deployedAt: at,
      url: r.url,
      declaredRollback: r.rollback,
    }
    const prev = found.get(id)
    const earlier = !prev || at < prev.deployedAt || (at === prev.deployedAt && (draft.version < prev.version || (draft.version === prev.version && draft.key < prev.key)))
    if (earlier) found.set(id, { ...draft, declaredRollback: draft.declaredRollback || (prev?.declaredRollback ?? false) })
    else if (draft.declaredRollback) prev.declaredRollback = true
  }
  return { deployments: [...found.values()].map(({ key: _, ...d }) => d), failedAttempts: dedupeById(failedAttempts) }
}

function dedupeById<T extends { id: string }>(xs: T[]): T[] {
  const m = new Map<string, T>()
  for (const x of xs) if (!m.has(x.id)) m.set(x.id, x)
  return [...m.values()]
}

/** §2: a service's deployments in (deployedAt, identity) order. */
export function orderDeployments(ds: DeploymentDraft[]): DeploymentDraft[] {
  return [...ds].sort((a, b) => a.deployedAt - b.deployedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
