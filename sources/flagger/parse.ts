/**
 * Flagger webhooks (`{name, namespace, phase, checksum?, metadata}`) and event
 * webhooks (the same, with `metadata.eventMessage`, `eventType` and a unix-ms
 * `timestamp` string). A canary is a rollout of the service named like it.
 */
import { createHash } from 'node:crypto'
import type { Envelope } from '../../contracts/envelope.ts'
import { drop, ok, type ParseOutcome } from '../../contracts/events.ts'
import type { RolloutStepReported } from '../../contracts/release-events.ts'
import { at, guard, optStr, parseJson, str } from '../fields.ts'
import { epochMs } from '../shared/flag-fields.ts'
import { phaseOf, readMessage } from './messages.ts'

/**
 * Flagger sends no delivery id. Event webhooks: (name, namespace, phase,
 * timestamp, message) — two events of one millisecond differ by message;
 * gating webhooks repeat while a phase lasts: (name, namespace, phase, checksum).
 */
export function flaggerIdentity(body: unknown): string {
  const base = `${str(body, 'name')}.${str(body, 'namespace')}:${str(body, 'phase')}`
  const ts = at(body, 'metadata.timestamp')
  if (ts !== undefined) {
    const message = optStr(body, 'metadata.eventMessage') ?? ''
    return `${base}:${epochMs(ts, 'metadata.timestamp')}:${createHash('sha256').update(message).digest('hex').slice(0, 16)}`
  }
  return `${base}:${optStr(body, 'checksum') ?? 'no-checksum'}`
}

export type FlaggerReading = { kind: 'events'; events: RolloutStepReported[] } | { kind: 'drop'; reason: string }

/** `receivedAt`: the envelope's time, for gating webhooks that carry none of their own. */
export function readFlagger(body: unknown, receivedAt: string): FlaggerReading {
  const identity = flaggerIdentity(body)
  const name = str(body, 'name')
  const namespace = str(body, 'namespace')
  const message = optStr(body, 'metadata.eventMessage')
  const said = message === null ? {} : readMessage(message)
  const phase = said.phase ?? phaseOf(str(body, 'phase'))
  if (phase === null) return { kind: 'drop', reason: `flagger phase ${str(body, 'phase')} is not a rollout step` }
  const ts = at(body, 'metadata.timestamp')
  return {
    kind: 'events',
    events: [
      {
        type: 'RolloutStepReported',
        key: `flagger:${identity}`,
        routing: `named:${name}`,
        origin: 'flagger',
        rollout: `${name}.${namespace}`,
        service: name,
        environment: null,
        weight: said.weight ?? null,
        phase,
        at: ts === undefined ? receivedAt : epochMs(ts, 'metadata.timestamp'),
        sha: null,
        message,
      },
    ],
  }
}

export function parseFlagger(env: Envelope): ParseOutcome {
  return guard('flagger', () => {
    const r = readFlagger(parseJson(env.data), env.time)
    return r.kind === 'events' ? ok(r.events) : drop(r.reason, 'not_used_by_metrics')
  })
}
