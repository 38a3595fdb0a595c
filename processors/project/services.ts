import type { Config } from '../../config/schema.ts'

/** A service as the projection sees it: from the configuration, or implied by a source. */
export interface ServiceInfo {
  name: string
  team: string
  timezone: string
  /** Lowercased `environments`, or null when the service relies on the global production rule. */
  environments: string[] | null
  /** Lowercased repositories it deploys from. */
  repos: string[]
  configured: boolean
}

const UNASSIGNED = 'unassigned'

/**
 * Maps sources onto services (METRICS.md §1). Built once from the config plus
 * the canonical spellings of implied services, which the caller derives from
 * the whole event set so the result does not depend on arrival order.
 */
export class ServiceDirectory {
  private readonly byRepo = new Map<string, ServiceInfo[]>()
  private readonly byPagerDuty = new Map<string, ServiceInfo>()
  private readonly byName = new Map<string, ServiceInfo>()
  private readonly byJira = new Map<string, ServiceInfo>()
  private readonly byIncidentio = new Map<string, ServiceInfo>()
  private readonly production: Set<string>
  private readonly gitlabProduction: Set<string>

  constructor(config: Config) {
    this.production = new Set(config.github.productionEnvironments.map((e) => e.toLowerCase()))
    this.gitlabProduction = new Set(config.gitlab.productionEnvironments.map((e) => e.toLowerCase()))
    for (const s of config.services) {
      const info: ServiceInfo = {
        name: s.name,
        team: s.team,
        timezone: s.timezone,
        environments: s.environments ? s.environments.map((e) => e.toLowerCase()) : null,
        // GitLab projects share the repository namespace until the events are source-neutral (DECISIONS.md).
        repos: [...s.repositories, ...s.gitlabProjects].map((r) => r.toLowerCase()),
        configured: true,
      }
      this.byName.set(s.name, info)
      for (const r of info.repos) this.byRepo.set(r, [...(this.byRepo.get(r) ?? []), info])
      for (const p of s.pagerdutyServices) if (!this.byPagerDuty.has(p)) this.byPagerDuty.set(p, info)
      for (const k of s.jiraProjects) if (!this.byJira.has(k.toUpperCase())) this.byJira.set(k.toUpperCase(), info)
      for (const n of [s.name, ...s.incidentioServices]) if (!this.byIncidentio.has(n.toLowerCase())) this.byIncidentio.set(n.toLowerCase(), info)
    }
  }

  /** A service known by name: configured, or implied with the given team. */
  named(name: string, team: string | null = null): ServiceInfo {
    const known = this.byName.get(name)
    if (known) return known
    const implied: ServiceInfo = { name, team: team ?? UNASSIGNED, timezone: 'UTC', environments: null, repos: [], configured: false }
    this.byName.set(name, implied)
    return implied
  }

  /** Services that list a repository, in configuration order; else the implied one named after it. */
  forRepo(repoLc: string, spelling: string): ServiceInfo[] {
    const listed = this.byRepo.get(repoLc)
    if (listed) return listed
    const implied = this.named(spelling)
    if (!implied.repos.includes(repoLc)) implied.repos.push(repoLc)
    return [implied]
  }

  forPagerDuty(serviceId: string, summary: string): ServiceInfo {
    return this.byPagerDuty.get(serviceId) ?? this.named(summary)
  }

  /** A Jira project listed in `jiraProjects`, else a service named after the project. */
  forJira(projectKey: string, projectName: string): ServiceInfo {
    return this.byJira.get(projectKey.toUpperCase()) ?? this.named(projectName)
  }

  /** incident.io's affected service: a service of that name or listing it in `incidentioServices`, else implied. */
  forIncidentio(value: string): ServiceInfo {
    return this.byIncidentio.get(value.toLowerCase()) ?? this.named(value)
  }

  /** Production per §2: the service's own list replaces the global rule. */
  isProduction(service: ServiceInfo, environment: string, productionFlag: boolean | null, source: 'github' | 'gitlab' = 'github'): boolean {
    const env = environment.toLowerCase()
    if (service.environments) return service.environments.includes(env)
    return (source === 'gitlab' ? this.gitlabProduction : this.production).has(env) || productionFlag === true
  }

  /**
   * The service a GitHub deployment to `environment` belongs to, or null when
   * it is not a production deployment of any. With several services on one
   * repository, the one whose `environments` contain it wins; then the first
   * one without a list for which the global rule says production.
   */
  forDeployment(repoLc: string, spelling: string, environment: string, productionFlag: boolean | null, source: 'github' | 'gitlab' = 'github'): ServiceInfo | null {
    const candidates = this.forRepo(repoLc, spelling)
    const env = environment.toLowerCase()
    const byList = candidates.find((s) => s.environments?.includes(env))
    if (byList) return byList
    return candidates.find((s) => !s.environments && this.isProduction(s, environment, productionFlag, source)) ?? null
  }

  /** A GitHub issue belongs to the first service listed for its repository. */
  forIssue(repoLc: string, spelling: string): ServiceInfo {
    return this.forRepo(repoLc, spelling)[0]!
  }
}
