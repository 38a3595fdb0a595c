/**
 * The versioned reference data beside it (tier-sets.json, quickcheck-2025.json), validated once
 * at import: a malformed data file fails at start, not in the middle of a query. Pure data and
 * lookups; the scoring itself is queries/scores.ts.
 */
import { z } from 'zod'
import tierSetsJson from './tier-sets.json' with { type: 'json' }
import quickcheckJson from './quickcheck-2025.json' with { type: 'json' }

const three = z.object({ elite: z.number(), high: z.number(), medium: z.number() })
const source = z.object({ title: z.string().min(1), url: z.string().url() }).passthrough()

const tierSetFile = z.object({
  sets: z.record(
    z.string(),
    z.object({
      title: z.string(),
      source,
      verification: z.string().min(1),
      thresholds: z.object({ deploymentFrequency: three, leadTime: three, timeToRestore: three, changeFailureRate: three }),
    }).passthrough(),
  ),
})

const meanSd = z.object({ mean: z.number(), std: z.number() })
const group = z.object({
  name: z.string(),
  performance_average: meanSd,
  software_delivery_throughput: meanSd,
  software_delivery_instability: meanSd,
  leadtime: meanSd,
  deployfreq: meanSd,
  changefailure: meanSd,
  failurerecovery: meanSd,
  rework: meanSd,
})
const benchmarkTable = z.object({
  source,
  invertedInSource: z.array(z.enum(['failurerecovery', 'leadtime', 'deployfreq'])),
  groups: z.record(z.string(), group).refine((g) => 'all' in g, { message: 'needs an "all" group' }),
}).passthrough()
const bounds = z.array(z.number()).length(5)
const quickcheckFile = z.object({
  edition: z.string(),
  scoring: z.object({ source, leadTimeSecondsAbove: bounds, deploymentsPerDayBelow: bounds, recoverySecondsAbove: bounds }).passthrough(),
  benchmarks: z.object({ industry: benchmarkTable, orgSize: benchmarkTable }).passthrough(),
})

export type TierSetData = z.infer<typeof tierSetFile>['sets'][string]
export type PublishedGroup = z.infer<typeof group>
export type BenchmarkTable = z.infer<typeof benchmarkTable>
export type QuickCheckScoring = z.infer<typeof quickcheckFile>['scoring']

export const TIER_SETS: Readonly<Record<string, TierSetData>> = tierSetFile.parse(tierSetsJson).sets
export const QUICK_CHECK = quickcheckFile.parse(quickcheckJson)

export const INDUSTRIES = Object.keys(QUICK_CHECK.benchmarks.industry.groups)
export const ORG_SIZES = Object.keys(QUICK_CHECK.benchmarks.orgSize.groups)
