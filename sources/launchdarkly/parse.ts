/**
 * LaunchDarkly webhooks: the body is an audit-log entry (apidocs/webhooks.md);
 * a flag change carries the flag before and after (`previousVersion`,
 * `currentVersion`: the flag representation of apidocs/feature-flags.md), and
 * `accesses[].resource` names the environment(s) changed:
 * `proj/<project>:env/<env>:flag/<key>`.
 */
import type { Envelope } from '../../contracts/envelope.ts'
import { drop, ok, type ParseOutcome } from '../../contracts/events.ts'
import type { FlagChanged, FlagState } from '../../contracts/release-events.ts'
import { arr, at, BadField, guard, isObj, optStr, parseJson, str } from '../fields.ts'
import { epochMs } from '../shared/flag-fields.ts'

const RESOURCE = /^proj\/([^:;]+):env\/([^:;]+):flag\/([^:;]+)/

export interface LaunchDarklyEntry {
  id: string
  kind: string
  date: string
}

/** What ingest needs (and checks): the entry's `_id`, `kind` and `date`. */
export function readEntry(body: unknown): LaunchDarklyEntry {
  return { id: str(body, '_id'), kind: str(body, 'kind'), date: epochMs(at(body, 'date'), 'date') }
}

/** Weights are thousandths of a percent (100000 = 100 %). */
const WEIGHT_SCALE = 1000

/**
 * Share of users the flag's fallthrough serves something other than the off
 * variation (METRICS.md §12 "on" behaviour). The off variation is the
 * environment's `offVariation`, else the variation whose value is `false`.
 */
function fallthroughPercent(flag: unknown, env: Record<string, unknown>, path: string): number {
  const variations = Array.isArray(at(flag, 'variations')) ? (at(flag, 'variations') as unknown[]) : []
  const off = typeof env['offVariation'] === 'number' ? env['offVariation'] : variations.findIndex((v) => isObj(v) && v['value'] === false)
  const fallthrough = env['fallthrough']
  const single = at(fallthrough, 'variation')
  if (typeof single === 'number') return single === off ? 0 : 100
  const weights = at(fallthrough, 'rollout.variations')
  if (!Array.isArray(weights)) throw new BadField(`${path}.fallthrough must have a variation or rollout.variations`)
  let on = 0
  weights.forEach((w, i) => {
    const weight = at(w, 'weight')
    const variation = at(w, 'variation')
    if (typeof weight !== 'number' || weight < 0 || weight > 100 * WEIGHT_SCALE) throw new BadField(`${path}.fallthrough.rollout.variations.${i}.weight must be 0–100000, got ${JSON.stringify(weight)}`)
    if (variation !== off) on += weight
  })
  return Math.min(100, on / WEIGHT_SCALE)
}

function stateIn(flag: unknown, env: string, path: string): FlagState | null {
  const e = at(flag, `environments.${env}`)
  if (!isObj(e)) return null
  if (typeof e['on'] !== 'boolean') throw new BadField(`${path}.environments.${env}.on must be a boolean`)
  return e['on'] ? { on: true, rollout: fallthroughPercent(flag, e, `${path}.environments.${env}`) } : { on: false }
}

export type LaunchDarklyReading = { kind: 'events'; events: FlagChanged[] } | { kind: 'drop'; reason: string }

/** One FlagChanged per environment the entry's accesses name. */
export function readLaunchDarkly(body: unknown): LaunchDarklyReading {
  const entry = readEntry(body)
  if (entry.kind !== 'flag') return { kind: 'drop', reason: `launchdarkly ${entry.kind} entries are not flag changes` }
  const current = at(body, 'currentVersion')
  if (!isObj(current)) return { kind: 'drop', reason: 'launchdarkly flag entry without currentVersion (a deleted flag, or a summary entry)' }
  const previous = at(body, 'previousVersion')
  const seen = new Set<string>()
  const events: FlagChanged[] = []
  arr(body, 'accesses').forEach((a, i) => {
    const m = RESOURCE.exec(str(a, 'resource'))
    if (!m) return // project- or flag-wide: no environment's exposure changed
    const [, project, env, flag] = m as unknown as [string, string, string, string]
    if (seen.has(env)) return
    seen.add(env)
    const state = stateIn(current, env, 'currentVersion')
    if (state === null) throw new BadField(`currentVersion.environments.${env} is missing (named by accesses.${i}.resource)`)
    events.push({
      type: 'FlagChanged',
      key: `launchdarkly:${entry.id}:${env}`,
      routing: `flag:${flag}`,
      provider: 'launchdarkly',
      project,
      flag,
      service: null,
      environment: env,
      state,
      previous: isObj(previous) ? stateIn(previous, env, 'previousVersion') : null,
      changedAt: entry.date,
      actor: optStr(body, 'member.email'),
    })
  })
  return events.length ? { kind: 'events', events } : { kind: 'drop', reason: 'launchdarkly flag entry names no environment' }
}

export function parseLaunchdarkly(env: Envelope): ParseOutcome {
  return guard('launchdarkly', () => {
    const r = readLaunchDarkly(parseJson(env.data))
    return r.kind === 'events' ? ok(r.events) : drop(r.reason, 'not_used_by_metrics')
  })
}
