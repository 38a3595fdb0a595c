/**
 * A realistic quarter of an engineering organisation: three teams, six services —
 * two of them sharing one repository (a monorepo, each deploying to its own
 * environment from its own folder) — with different ways of working, so every tier
 * shows up: platform deploys small batches many times a day, identity rarely and
 * with big, risky batches. Used by `doraflow demo`, the tests and the benchmarks.
 */
import { serviceSchema } from '../config/schema.ts'
import { history, type GeneratedDelivery, type Profile, type RepoPlan } from './history.ts'

export interface QuarterService {
  name: string
  team: string
  timezone: string
  repository: string
  pagerdutyService: string
  /** Set for the services of the shared repository: their own production environment and folder. */
  environment: string | null
  dir: string | null
}

export const QUARTER_SERVICES: QuarterService[] = [
  { name: 'checkout', team: 'payments', timezone: 'Europe/Berlin', repository: 'acme/checkout', pagerdutyService: 'PCHECKOUT', environment: null, dir: null },
  { name: 'ledger', team: 'payments', timezone: 'Europe/Berlin', repository: 'acme/ledger', pagerdutyService: 'PLEDGER', environment: null, dir: null },
  { name: 'search', team: 'discovery', timezone: 'America/New_York', repository: 'acme/discovery', pagerdutyService: 'PSEARCH', environment: 'search-production', dir: 'services/search' },
  { name: 'recommendations', team: 'discovery', timezone: 'America/New_York', repository: 'acme/discovery', pagerdutyService: 'PRECS', environment: 'recs-production', dir: 'services/recommendations' },
  { name: 'gateway', team: 'platform', timezone: 'UTC', repository: 'acme/gateway', pagerdutyService: 'PGATEWAY', environment: null, dir: null },
  { name: 'identity', team: 'platform', timezone: 'UTC', repository: 'acme/identity', pagerdutyService: 'PIDENTITY', environment: null, dir: null },
]

const base: Profile = { episodes: 60, maxCommits: 4, commitAgeHours: 24, prShare: 0.6, failedAttemptShare: 0.08, rollbackShare: 0.05, incidentShare: 0.1, issueShare: 0.15, maxRestoreHours: 8, workdays: true }

/** Per repository: how that team works (episodes are per quarter). */
const PROFILES: Record<string, Partial<Profile>> = {
  'acme/checkout': { episodes: 110, incidentShare: 0.08 },
  'acme/ledger': { episodes: 26, maxCommits: 8, commitAgeHours: 96, incidentShare: 0.2, maxRestoreHours: 30 },
  'acme/discovery': { episodes: 90, incidentShare: 0.1 },
  'acme/gateway': { episodes: 180, maxCommits: 2, commitAgeHours: 6, incidentShare: 0.03, maxRestoreHours: 2, rollbackShare: 0.02 },
  'acme/identity': { episodes: 9, maxCommits: 12, commitAgeHours: 400, failedAttemptShare: 0.3, incidentShare: 0.45, issueShare: 0.3, maxRestoreHours: 120, rollbackShare: 0.15 },
}

export function quarterRepos(): RepoPlan[] {
  const byRepo = new Map<string, QuarterService[]>()
  for (const s of QUARTER_SERVICES) byRepo.set(s.repository, [...(byRepo.get(s.repository) ?? []), s])
  return [...byRepo].map(([repo, services]) => ({
    repo,
    targets: services.map((s) => ({ environment: s.environment ?? 'production', pagerdutyService: s.pagerdutyService, dir: s.dir })),
    profile: { ...base, ...PROFILES[repo] },
  }))
}

export const QUARTER_DAYS = 91

export interface QuarterOptions {
  seed?: number
  /** The quarter ends here (ms): `demo` uses now, so the overview's default period shows it; tests pin it. */
  end: number
  githubSecret: string
  pagerdutySecret: string
}

/** The quarter's deliveries, in the order a sender would have sent them. */
export function quarterDeliveries(o: QuarterOptions): GeneratedDelivery[] {
  const span = QUARTER_DAYS * 86_400_000
  const all = [...history({ repos: quarterRepos(), start: o.end - span, span, until: o.end, seed: o.seed ?? 42, githubSecret: o.githubSecret, pagerdutySecret: o.pagerdutySecret, prefix: `q${o.seed ?? 42}` })]
  return all.sort((a, b) => a.at - b.at)
}

/** `paths` arrives with the monorepo support (METRICS.md §16); until the schema has it, it is left out rather than refused. */
const SCHEMA_HAS_PATHS = 'paths' in serviceSchema.shape

/** The `services:` block of doraflow.yaml for the quarter's organisation. */
export function quarterServicesYaml(): string {
  const lines = ['services:']
  for (const s of QUARTER_SERVICES) {
    lines.push(`  - name: ${s.name}`, `    team: ${s.team}`, `    timezone: ${s.timezone}`, `    repositories: [${s.repository}]`, `    pagerdutyServices: [${s.pagerdutyService}]`)
    if (s.environment) lines.push(`    environments: [${s.environment}]`)
    if (s.dir && SCHEMA_HAS_PATHS) lines.push(`    paths: [${s.dir}/**]`)
  }
  return lines.join('\n')
}
