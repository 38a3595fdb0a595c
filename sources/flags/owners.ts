import picomatch from 'picomatch'
import type { Config } from '../../config/schema.ts'
import type { FlagChanged } from '../../contracts/release-events.ts'

/**
 * Which service a flag belongs to (METRICS.md §12): the one its sender names
 * (our JSON), else the first configured service whose `flags` globs match the
 * key, else a service named after the provider's project.
 */
export class FlagOwners {
  private readonly matchers: { name: string; isMatch: (key: string) => boolean }[]

  constructor(config: Config) {
    this.matchers = config.services.filter((s) => s.flags.length > 0).map((s) => ({ name: s.name, isMatch: picomatch(s.flags, { dot: true }) }))
  }

  serviceOf(e: Pick<FlagChanged, 'service' | 'flag' | 'project' | 'provider'>): string {
    if (e.service) return e.service
    return this.claimedBy(e.flag) ?? e.project ?? e.provider
  }

  /** The first configured service whose `flags` globs match the key, or null. */
  claimedBy(flagKey: string): string | null {
    return this.matchers.find((m) => m.isMatch(flagKey))?.name ?? null
  }
}

/**
 * A `flag:<key>` routing as the routing of the service whose globs claim the
 * key (`named:<service>`), so a flag change shares its owner's Kafka partition
 * (one writer per service, sources/routing.ts partitionKey). A key no glob
 * claims stays as it is: its owner (the provider's project) is in the body.
 */
export function flagOwnerRouting(routing: string, config: Config): string {
  if (!routing.startsWith('flag:')) return routing
  const key = routing.slice('flag:'.length)
  const owner = new FlagOwners(config).claimedBy(key)
  return owner === null ? routing : `named:${owner}`
}
