import type { DeploymentStatusReported, ExternalDeploymentReported } from '../../contracts/events.ts'
import type { ServiceDirectory, ServiceInfo } from './services.ts'
import { ms } from './time.ts'

/** A production deployment before failure analysis. */
export interface DeploymentDraft {
  id: string
  service: ServiceInfo
  origin: 'github' | 'gitlab' | 'generic' | 'cdevents'
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
 * §2: a GitHub deployment counts once, at the `created_at` of its first
 * `success` status; every `failure`/`error` status on a production deployment
 * is one failed attempt at its own time.
 */
export function githubDeployments(statuses: DeploymentStatusReported[], dir: ServiceDirectory, spelling: (repoLc: string) => string): DeploymentsFound {
  const found = new Map<string, DeploymentDraft>()
  const chosenKey = new Map<string, string>()
  const failedAttempts: FailedAttemptDraft[] = []
  for (const s of statuses) {
    const repoLc = s.repo.toLowerCase()
    // GitLab's Deployment Hook arrives as the same status event, under its own routing (§11).
    const source = s.routing.startsWith('gitlab:') ? 'gitlab' : 'github'
    const service = dir.forDeployment(repoLc, spelling(repoLc), s.environment, s.productionEnvironment, source)
    if (!service) continue
    const id = `${source}:${repoLc}#${s.deploymentId}`
    const at = ms(s.at)
    if (s.state === 'success') {
      const prev = found.get(id)
      // Ties on created_at are broken by the status's key, so the choice never depends on arrival order.
      if (!prev || at < prev.deployedAt || (at === prev.deployedAt && s.key < chosenKey.get(id)!)) {
        chosenKey.set(id, s.key)
        found.set(id, {
          id,
          service,
          origin: source,
          repo: spelling(repoLc),
          environment: s.environment,
          sha: s.sha.toLowerCase(),
          artifact: null,
          version: s.sha.toLowerCase(),
          deployedAt: at,
          url: s.url,
          declaredRollback: false,
        })
      }
    } else if (FAILED_STATES.has(s.state)) {
      failedAttempts.push({ id: `${id}/status/${s.statusId}`, service, deploymentId: id, environment: s.environment, state: s.state, at })
    }
  }
  return { deployments: [...found.values()], failedAttempts: dedupeById(failedAttempts) }
}

/** §2: deployments reported by other tools (our JSON, CDEvents); identity is their id. */
export function externalDeployments(events: ExternalDeploymentReported[], dir: ServiceDirectory): DeploymentsFound {
  const found = new Map<string, DeploymentDraft>()
  const failedAttempts: FailedAttemptDraft[] = []
  for (const e of events) {
    const service = dir.named(e.service, e.team)
    if (!dir.isProduction(service, e.environment, null)) continue
    const id = `${e.origin}:${e.id}`
    const at = ms(e.at)
    if (!e.succeeded) {
      failedAttempts.push({ id: `${id}/${e.key}`, service, deploymentId: id, environment: e.environment, state: 'failure', at })
      continue
    }
    const sha = e.sha?.toLowerCase() ?? null
    const draft: DeploymentDraft = {
      id,
      service,
      origin: e.origin,
      repo: null,
      environment: e.environment,
      sha,
      artifact: e.artifact,
      version: sha ?? e.artifact ?? '',
      deployedAt: at,
      url: e.url,
      declaredRollback: e.rollback,
    }
    const prev = found.get(id)
    // The same deployment reported twice: keep the earliest report, deterministically.
    if (!prev || at < prev.deployedAt || (at === prev.deployedAt && draft.version < prev.version)) {
      found.set(id, { ...draft, declaredRollback: draft.declaredRollback || (prev?.declaredRollback ?? false) })
    } else if (draft.declaredRollback) {
      prev.declaredRollback = true
    }
  }
  return { deployments: [...found.values()], failedAttempts: dedupeById(failedAttempts) }
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
