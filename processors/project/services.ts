import type { Config } from '../../config/schema.ts'
import { rulesByOrigin, type OriginRules } from '../../sources/index.ts'
import { routingsOfService } from '../../sources/routing.ts'

/** A service as the projection sees it: from the configuration, or implied by a source. */
export interface ServiceInfo {
  name: string
  team: string
  timezone: string
  /** Lowercased `environments`, or null when the service relies on the global production rule. */
  environments: string[] | null
  /** The routings it draws on (sources/routing.ts): its repositories' commits and changes are those under these. */
  routings: string[]
  configured: boolean
}

const UNASSIGNED = 'unassigned'

/**
 * Maps sources onto services (METRICS.md §1) by routing, whatever the source:
 * a routing claimed by configured services belongs to them (configuration
 * order); an unclaimed one implies a service named after what the source calls
 * it (the repository as spelled, PagerDuty's service summary, the named
 * service). Built once from the config plus the canonical spellings of implied
 * services, which the caller derives from the whole event set so the result
 * does not depend on arrival order.
 */
export class ServiceDirectory {
  private readonly byRouting = new Map<string, ServiceInfo[]>()
  private readonly byName = new Map<string, ServiceInfo>()
  /** Production environments and incident labels per origin (each source's own, or the defaults). */
  readonly rules: (origin: string) => OriginRules

  constructor(config: Config) {
    this.rules = rulesByOrigin(config)
    for (const s of config.services) {
      const info: ServiceInfo = {
        name: s.name,
        team: s.team,
        timezone: s.timezone,
        environments: s.environments ? s.environments.map((e) => e.toLowerCase()) : null,
        routings: routingsOfService(s),
        configured: true,
      }
      this.byName.set(s.name, info)
      for (const r of info.routings) this.byRouting.set(r, [...(this.byRouting.get(r) ?? []), info])
    }
  }

  /** A service known by name: configured, or implied with the given team. */
  named(name: string, team: string | null = null): ServiceInfo {
    const known = this.byName.get(name)
    if (known) return known
    const implied: ServiceInfo = { name, team: team ?? UNASSIGNED, timezone: 'UTC', environments: null, routings: [], configured: false }
    this.byName.set(name, implied)
    return implied
  }

  /** Services that claim a routing, in configuration order; else the implied one named `fallback`. */
  forRouting(routing: string, fallback: string, team: string | null = null): ServiceInfo[] {
    const listed = this.byRouting.get(routing)
    if (listed) return listed
    const implied = this.named(fallback, team)
    if (!implied.routings.includes(routing)) implied.routings.push(routing)
    return [implied]
  }

  /** Production per §2: the service's own list replaces the origin's rule. */
  isProduction(service: ServiceInfo, origin: string, environment: string, productionFlag: boolean | null): boolean {
    const env = environment.toLowerCase()
    if (service.environments) return service.environments.includes(env)
    return this.rules(origin).productionEnvironments.has(env) || productionFlag === true
  }

  /**
   * The service a deployment to `environment` belongs to, or null when it is
   * not a production deployment of any. With several services on one routing
   * (a repository two services deploy from), the one whose `environments`
   * contain it wins; then the first one without a list for which the global
   * rule says production.
   */
  forDeployment(routing: string, fallback: string, team: string | null, origin: string, environment: string, productionFlag: boolean | null): ServiceInfo | null {
    const candidates = this.forRouting(routing, fallback, team)
    const env = environment.toLowerCase()
    const byList = candidates.find((s) => s.environments?.includes(env))
    if (byList) return byList
    return candidates.find((s) => !s.environments && this.isProduction(s, origin, environment, productionFlag)) ?? null
  }
}
