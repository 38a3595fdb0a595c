/**
 * Flagsmith environment webhooks: `FLAG_UPDATED` with `new_state` and
 * `previous_state`. Only the environment default counts: a segment or identity
 * override changes what some users get, not the flag's exposure.
 */
import type { Envelope } from '../../contracts/envelope.ts'
import { drop, ok, type ParseOutcome } from '../../contracts/events.ts'
import type { FlagChanged } from '../../contracts/release-events.ts'
import { at, BadField, guard, idStr, isObj, optStr, parseJson, str, time } from '../fields.ts'

export type FlagsmithReading = { kind: 'events'; events: FlagChanged[] } | { kind: 'drop'; reason: string }

function enabled(body: unknown, path: string): boolean {
  const v = at(body, path)
  if (typeof v !== 'boolean') throw new BadField(`${path} must be a boolean`)
  return v
}

/** Flagsmith sends no event id: the identity is (feature id, environment id, data.timestamp). */
export function flagsmithIdentity(body: unknown): string {
  return `${idStr(body, 'data.new_state.feature.id')}:${idStr(body, 'data.new_state.environment.id')}:${time(body, 'data.timestamp')}`
}

export function readFlagsmith(body: unknown): FlagsmithReading {
  const type = str(body, 'event_type')
  if (type !== 'FLAG_UPDATED') return { kind: 'drop', reason: `flagsmith ${type} is not a flag update` }
  const identity = flagsmithIdentity(body)
  if (at(body, 'data.new_state.feature_segment') != null || at(body, 'data.new_state.identity') != null) {
    return { kind: 'drop', reason: 'flagsmith segment or identity override: the environment default is unchanged' }
  }
  const flag = str(body, 'data.new_state.feature.name')
  const previous = at(body, 'data.previous_state')
  return {
    kind: 'events',
    events: [
      {
        type: 'FlagChanged',
        key: `flagsmith:${identity}`,
        routing: `flag:${flag}`,
        provider: 'flagsmith',
        project: optStr(body, 'data.new_state.feature.project.name'),
        flag,
        service: null,
        environment: str(body, 'data.new_state.environment.name'),
        state: { on: enabled(body, 'data.new_state.enabled'), rollout: null },
        previous: isObj(previous) ? { on: enabled(body, 'data.previous_state.enabled'), rollout: null } : null,
        changedAt: time(body, 'data.timestamp'),
        actor: optStr(body, 'data.changed_by'),
      },
    ],
  }
}

export function parseFlagsmith(env: Envelope): ParseOutcome {
  return guard('flagsmith', () => {
    const r = readFlagsmith(parseJson(env.data))
    return r.kind === 'events' ? ok(r.events) : drop(r.reason, 'not_used_by_metrics')
  })
}
