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
    return this.matchers.find((m) => m.isMatch(e.flag))?.name ?? e.project ?? e.provider
  }
}
