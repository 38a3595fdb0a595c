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

/** What a directory needs from the configuration, computed once per configuration. */
interface ConfiguredIndex {
  rules: (origin: string) => OriginRules
  /** Each configured service's routings, by index. */
  routings: readonly (readonly string[])[]
  /** routing → indexes of the services claiming it, in configuration order. */
  byRouting: Map<string, number[]>
  /** name → index; the last one listed wins, as a Map built in order did. */
  byName: Map<string, number>
  services: Config['services']
}
const indexes = new WeakMap<Config, ConfiguredIndex>()

function configuredIndex(config: Config): ConfiguredIndex {
  let ix = indexes.get(config)
  if (ix && ix.services === config.services && ix.routings.length === config.services.length) return ix
  const routings = config.services.map(routingsOfService)
  const byRouting = new Map<string, number[]>()
  const byName = new Map<string, number>()
  config.services.forEach((s, i) => {
    byName.set(s.name, i)
    for (const r of routings[i]!) {
      const l = byRouting.get(r)
      if (l) l.push(i)
      else byRouting.set(r, [i])
    }
  })
  ix = { rules: rulesByOrigin(config), routings, byRouting, byName, services: config.services }
  indexes.set(config, ix)
  return ix
}

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
  private readonly byName = new Map<string, ServiceInfo>()
  /** Infos of configured services, by index in the configuration, made when first asked for. */
  private readonly configured = new Map<number, ServiceInfo>()
  private readonly index: ConfiguredIndex
  private readonly config: Config
  /** Production environments and incident labels per origin (each source's own, or the defaults). */
  readonly rules: (origin: string) => OriginRules

  constructor(config: Config) {
    this.config = config
    this.index = configuredIndex(config)
    this.rules = this.index.rules
  }

  /**
   * project() runs once per bin of components (thousands of times in a replay), and most bins
   * touch a few services: the configured ones are made fresh per directory (callers may add
   * routings to them), but only those a lookup reaches.
   */
  private info(i: number): ServiceInfo {
    let info = this.configured.get(i)
    if (info === undefined) {
      const s = this.config.services[i]!
      info = {
        name: s.name,
        team: s.team,
        timezone: s.timezone,
        environments: s.environments ? s.environments.map((e) => e.toLowerCase()) : null,
        routings: [...this.index.routings[i]!],
        configured: true,
      }
      this.configured.set(i, info)
    }
    return info
  }

  /** A service known by name: configured, or implied with the given team. */
  named(name: string, team: string | null = null): ServiceInfo {
    const known = this.byName.get(name)
    if (known) return known
    const i = this.index.byName.get(name)
    if (i !== undefined) {
      const info = this.info(i)
      this.byName.set(name, info)
      return info
    }
    const implied: ServiceInfo = { name, team: team ?? UNASSIGNED, timezone: 'UTC', environments: null, routings: [], configured: false }
    this.byName.set(name, implied)
    return implied
  }

  /** Services that claim a routing, in configuration order; else the implied one named `fallback`. */
  forRouting(routing: string, fallback: string, team: string | null = null): ServiceInfo[] {
    const listed = this.index.byRouting.get(routing)
    if (listed) return listed.map((i) => this.info(i))
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
