import type { DomainEvent } from '../../contracts/events.ts'
import { exposure, flag, step } from './builders.ts'

/**
 * Flag changes and rollout steps from a seed, over the first four days of
 * July 2026 (the days of test/project/scenario.ts), at whole hours so that
 * changes of one flag often share a time and the key decides.
 */
export function releaseExtras(seed: number): DomainEvent[] {
  let s = seed >>> 0 || 1
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32)
  const events: DomainEvent[] = []
  const base = Date.parse('2026-07-01T00:00:00Z')
  const iso = (ms: number) => new Date(ms).toISOString()
  for (let i = 0; i < 30; i++) {
    const at = iso(base + Math.floor(rnd() * 96) * 3600_000)
    const name = ['checkout-a', 'checkout-b', 'ledger-c'][Math.floor(rnd() * 3)]!
    const pct = [0, 0, 10, 50, 100][Math.floor(rnd() * 5)]!
    events.push(flag({ key: `f${seed}-${i}`, flag: name, at, state: rnd() < 0.3 ? { on: pct > 0 } : exposure(pct), project: 'shop', env: rnd() < 0.9 ? 'production' : 'staging' }))
  }
  for (let i = 0; i < 20; i++) {
    const at = iso(base + Math.floor(rnd() * 96) * 3600_000)
    const phase = (['progressing', 'progressing', 'paused', 'completed', 'aborted', 'failed'] as const)[Math.floor(rnd() * 6)]!
    events.push(step({ key: `r${seed}-${i}`, rollout: `ro-${Math.floor(rnd() * 3)}`, at, weight: rnd() < 0.2 ? null : [5, 10, 25, 50, 100][Math.floor(rnd() * 5)]!, phase, service: rnd() < 0.5 ? 'checkout' : 'ledger' }))
  }
  return events
}
