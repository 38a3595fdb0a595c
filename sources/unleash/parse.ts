/**
 * Unleash webhooks (the event object of Unleash's event log, sent as is when no
 * body template is set). Enabling/disabling a flag in an environment says
 * whether it is on; a strategy event says its percentage (`flexibleRollout`'s
 * `parameters.rollout`, a string); each says only its half (METRICS.md §12).
 */
import type { Envelope } from '../../contracts/envelope.ts'
import { drop, ok, type ParseOutcome } from '../../contracts/events.ts'
import type { FlagChanged, FlagState } from '../../contracts/release-events.ts'
import { at, guard, idStr, isObj, optStr, parseJson, str, time } from '../fields.ts'
import { percent } from '../shared/flag-fields.ts'

export const UNLEASH_TYPES = ['feature-environment-enabled', 'feature-environment-disabled', 'feature-strategy-add', 'feature-strategy-update', 'feature-strategy-remove'] as const

/** A strategy's percentage: `parameters.rollout` when it has one; a strategy without one serves everyone (null). */
function rolloutOf(strategy: unknown, path: string): number | null {
  const r = at(strategy, 'parameters.rollout')
  return r === undefined || r === null ? null : percent(r, `${path}.parameters.rollout`)
}

function states(type: (typeof UNLEASH_TYPES)[number], body: unknown): { state: FlagState; previous: FlagState | null } {
  switch (type) {
    case 'feature-environment-enabled':
      return { state: { on: true }, previous: { on: false } }
    case 'feature-environment-disabled':
      return { state: { on: false }, previous: { on: true } }
    case 'feature-strategy-add':
      return { state: { rollout: rolloutOf(at(body, 'data'), 'data') }, previous: null }
    case 'feature-strategy-update':
      return { state: { rollout: rolloutOf(at(body, 'data'), 'data') }, previous: isObj(at(body, 'preData')) ? { rollout: rolloutOf(at(body, 'preData'), 'preData') } : null }
    case 'feature-strategy-remove':
      // The rollout strategy is gone: what remains serves everyone it serves (docs/DECISIONS.md).
      return { state: { rollout: null }, previous: isObj(at(body, 'preData')) ? { rollout: rolloutOf(at(body, 'preData'), 'preData') } : null }
    default: {
      const never: never = type
      throw new Error(`unexpected unleash type ${String(never)}`)
    }
  }
}

export type UnleashReading = { kind: 'events'; events: FlagChanged[] } | { kind: 'drop'; reason: string }

export function readUnleash(body: unknown): UnleashReading {
  const id = idStr(body, 'id')
  const type = str(body, 'type')
  if (!(UNLEASH_TYPES as readonly string[]).includes(type)) return { kind: 'drop', reason: `unleash ${type} does not change a flag's exposure` }
  const flag = str(body, 'featureName')
  const environment = str(body, 'environment')
  const changedAt = time(body, 'createdAt')
  const { state, previous } = states(type as (typeof UNLEASH_TYPES)[number], body)
  return {
    kind: 'events',
    events: [{ type: 'FlagChanged', key: `unleash:${id}`, routing: `flag:${flag}`, provider: 'unleash', project: optStr(body, 'project'), flag, service: null, environment, state, previous, changedAt, actor: optStr(body, 'createdBy') }],
  }
}

export function parseUnleash(env: Envelope): ParseOutcome {
  return guard('unleash', () => {
    const r = readUnleash(parseJson(env.data))
    return r.kind === 'events' ? ok(r.events) : drop(r.reason, 'not_used_by_metrics')
  })
}
