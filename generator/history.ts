/**
 * The history generator: episodes of work on repositories — a push, maybe a merged
 * pull request, a production deployment (sometimes after a failed attempt, sometimes
 * a rollback to an older head), sometimes an incident (PagerDuty, or a GitHub issue
 * labelled incident) — as the signed webhook deliveries GitHub and PagerDuty would
 * send. Deterministic from a seed and streamed (a benchmark asks for millions);
 * roughly in time order (round-robin over repositories, episode by episode).
 */
import { deploymentStatusPayload, githubDelivery, issuePayload, pagerdutyDelivery, pagerdutyPayload, pullRequestMergedPayload, pushPayload, type SourcedDelivery } from './payloads.ts'
import { lcg } from './rng.ts'

/** Where one repository deploys to: a service's production environment and its PagerDuty service. */
export interface Target {
  environment: string
  pagerdutyService: string
  /** Where this target's code lives in a shared repository (files a push touches); empty for a repository of its own. */
  dir: string | null
}

/** How a repository's team works: the odds and sizes of each episode. */
export interface Profile {
  /** Episodes over the whole span. */
  episodes: number
  /** 1 … maxCommits commits per push. */
  maxCommits: number
  /** How long before the push its commits were written: up to this many hours. */
  commitAgeHours: number
  prShare: number
  failedAttemptShare: number
  rollbackShare: number
  incidentShare: number
  /** Of the incidents, this share is a GitHub issue labelled incident instead of a PagerDuty one. */
  issueShare: number
  /** Time to restore: between 20 minutes and this many hours. */
  maxRestoreHours: number
  /** Episodes on working days and hours only (UTC), as people work. */
  workdays: boolean
}

export interface RepoPlan {
  repo: string
  /** One for a repository of its own; several in a shared (monorepo) repository, one chosen per episode. */
  targets: Target[]
  profile: Profile
}

export interface HistoryOptions {
  repos: RepoPlan[]
  /** Start of the span (ms). */
  start: number
  /** Length of the span (ms). Episodes past it wrap around when more deliveries are asked for. */
  span: number
  seed: number
  githubSecret: string
  pagerdutySecret: string
  /** Prefix of delivery ids (separate runs into one log never collide). */
  prefix?: string
  /** Stop after this many deliveries. */
  maxDeliveries?: number
  /** Leave out deliveries after this instant (an incident still open at "now"). */
  until?: number
  /** Rounds over the span when maxDeliveries asks for more (the benchmark's year, repeated). */
  rounds?: number
}

export interface GeneratedDelivery extends SourcedDelivery {
  /** When the sender would have sent it (ms). */
  at: number
}

const iso = (ms: number) => new Date(ms).toISOString()
const HOUR = 3_600_000
const DAY = 24 * HOUR

/** A plausible 40-hex sha from two numbers. */
export const hex40 = (a: number, b: number) =>
  (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0') + ((Math.imul(a, 2654435761) ^ b) >>> 0).toString(16).padStart(8, '0').repeat(3)

const MESSAGES = ['Fix rounding in totals', 'Add retry to client', 'Bump dependencies', 'Refactor handler', 'Speed up query', 'Feature flag for new flow', 'Log correlation ids', 'Tighten input validation']
const PEOPLE = [
  { name: 'Ana Silva', email: 'ana@example.com', username: 'ana' },
  { name: 'Bo Chen', email: 'bo@example.com', username: 'bochen' },
  { name: 'Dana Levi', email: 'dana@example.com', username: 'dlevi' },
  { name: 'Eli Okafor', email: 'eli@example.com', username: 'eli-o' },
]

/** Moves an instant onto a working day, 08:00–17:00 UTC. */
function workingTime(t: number, rnd: () => number): number {
  let day = Math.floor(t / DAY) * DAY
  while ([0, 6].includes(new Date(day).getUTCDay())) day += DAY
  return day + (8 + rnd() * 9) * HOUR
}

export function* history(o: HistoryOptions): Generator<GeneratedDelivery> {
  const rnd = lcg(o.seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const prefix = o.prefix ?? 'g'
  const slots = Math.max(1, ...o.repos.map((r) => r.profile.episodes))
  const heads: string[][] = o.repos.map(() => ['0'.repeat(40)])
  const nextEpisode = o.repos.map(() => 0)
  let emitted = 0
  let seq = 0
  const id = () => `${prefix}-${(seq++).toString(36)}`
  const gh = (event: string, payload: unknown, at: number): GeneratedDelivery => ({ ...githubDelivery(event, payload, o.githubSecret, id()), at })
  const pd = (p: Parameters<typeof pagerdutyPayload>[0], at: number): GeneratedDelivery => ({ ...pagerdutyDelivery(pagerdutyPayload(p), o.pagerdutySecret), at })

  for (let e = 0; e < slots * (o.rounds ?? 1); e++) {
    for (let r = 0; r < o.repos.length; r++) {
      const { repo, targets, profile } = o.repos[r]!
      // A repository with fewer episodes than the busiest skips slots, so all stay in step with time.
      const episodes: number[] = []
      while (Math.floor((nextEpisode[r]! * slots) / profile.episodes) <= e) episodes.push(nextEpisode[r]!++)
      for (const k of episodes) {
        const step = o.span / profile.episodes
        const round = Math.floor(k / profile.episodes)
        let t0 = o.start + ((k % profile.episodes) + rnd() * 0.8) * step
        if (profile.workdays) t0 = workingTime(t0, rnd)
        const target = targets.length === 1 ? targets[0]! : pick(targets)
        const hist = heads[r]!
        const before = hist[hist.length - 1]!
        const after = hex40(r * 100_003 + k, Math.floor(rnd() * 2 ** 31))
        const n = 1 + Math.floor(rnd() * profile.maxCommits)
        const author = pick(PEOPLE)
        const commits = Array.from({ length: n }, (_, c) => ({
          id: hex40(r * 7 + k * 13 + c, Math.floor(rnd() * 2 ** 31)),
          timestamp: iso(t0 - (n - c) * 1_800_000 - rnd() * profile.commitAgeHours * HOUR),
          message: `${pick(MESSAGES)} (${k}.${c})`,
          ...(target.dir ? { modified: [`${target.dir}/src/${['handler', 'model', 'client'][c % 3]}.ts`] } : {}),
          author,
        }))
        const out: GeneratedDelivery[] = [gh('push', pushPayload({ repo, before, after, commits }), t0)]
        hist.push(after)
        if (hist.length > 8) hist.shift()
        if (rnd() < profile.prShare) {
          out.push(gh('pull_request', pullRequestMergedPayload({ repo, number: k + 1, title: commits[0]!.message, createdAt: iso(t0 - 2 * DAY), mergedAt: iso(t0 - 600_000), mergeCommitSha: commits[n - 1]!.id }), t0 + 1000))
        }
        const depId = r * 100_000 + k
        const deployAt = t0 + 1_800_000 + rnd() * 2 * HOUR
        const rollback = rnd() < profile.rollbackShare && hist.length > 3
        const sha = rollback ? hist[hist.length - 3]! : after
        const status = (statusId: number, state: string, at: number) =>
          gh('deployment_status', deploymentStatusPayload({ repo, deploymentId: depId, statusId, state, environment: target.environment, sha, at: iso(at) }), at)
        if (rnd() < profile.failedAttemptShare) out.push(status(depId * 4 + 1, 'failure', deployAt - 300_000))
        out.push(status(depId * 4 + 2, 'success', deployAt))
        if (rnd() < profile.incidentShare) {
          const start = deployAt + rnd() * 12 * HOUR
          const restore = 1_200_000 + rnd() * rnd() * profile.maxRestoreHours * HOUR
          if (rnd() < profile.issueShare) {
            const number = 10_000 + k
            const body = `Customers report failures since ${sha.slice(0, 9)} was deployed`
            const issue = (action: string, at: number, closedAt: string | null) =>
              gh('issues', issuePayload({ repo, action, number, title: `Incident: errors in ${target.environment}`, labels: ['incident'], body, createdAt: iso(start), closedAt, updatedAt: iso(at) }), at)
            out.push(issue('opened', start, null), issue('closed', start + restore, iso(start + restore)))
          } else {
            const inc = `INC${r}x${k}r${round}`
            const svc = target.pagerdutyService
            const title = rnd() < 0.4 ? `Errors after deploy of ${sha.slice(0, 8)}` : pick(['Latency p99 > 2s', 'Elevated 5xx', 'Queue backlog growing', 'Timeouts calling upstream'])
            // Every event of an incident carries its title and urgency, as PagerDuty sends them.
            const base = { incidentId: inc, service: svc, createdAt: iso(start), title, urgency: rnd() < 0.7 ? 'high' : 'low' }
            out.push(pd({ ...base, eventId: id(), type: 'incident.triggered', occurredAt: iso(start + 500) }, start + 500))
            out.push(pd({ ...base, eventId: id(), type: 'incident.acknowledged', occurredAt: iso(start + 300_000) }, start + 300_000))
            out.push(pd({ ...base, eventId: id(), type: 'incident.resolved', occurredAt: iso(start + restore) }, start + restore))
          }
        }
        for (const d of out) {
          if (o.until !== undefined && d.at > o.until) continue
          yield d
          if (++emitted >= (o.maxDeliveries ?? Infinity)) return
        }
      }
    }
  }
}
