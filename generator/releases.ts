/**
 * Release activity for the generated quarter (METRICS.md §12–§15), sent as
 * doraflow's own JSON to POST /events: flags rolled out 10 → 50 → 100 % over a
 * few days (some switched off again, some left at 100 % to go stale), and canary
 * rollouts of which some are aborted at a low weight. Used by `doraflow demo`.
 */
import type { GeneratedDelivery } from './history.ts'
import { lcg } from './rng.ts'
import { QUARTER_SERVICES } from './quarter.ts'

const DAY = 86_400_000
const HOUR = 3_600_000

export function releaseDeliveries(o: { seed?: number; end: number; eventsToken: string; days: number }): GeneratedDelivery[] {
  const rnd = lcg((o.seed ?? 42) * 7919 + 13)
  const start = o.end - o.days * DAY
  const out: GeneratedDelivery[] = []
  const send = (kind: string, id: string, at: number, body: object) =>
    out.push({ source: 'events', kind, deliveryId: `${kind}:${id}`, at, path: '/events', headers: { 'content-type': 'application/json', authorization: `Bearer ${o.eventsToken}` }, body: JSON.stringify({ kind, id, ...body }) })
  for (const s of QUARTER_SERVICES) {
    const environment = s.environment ?? 'production'
    // Flags: one every ~2 weeks, rolled out in steps; a few are switched off on the way.
    for (let f = 0, t = start + rnd() * 7 * DAY; t < o.end - 2 * DAY; f++, t += (7 + rnd() * 14) * DAY) {
      const flag = `${s.name}-feature-${f + 1}`
      const steps = rnd() < 0.3 ? [100] : [10, 50, 100]
      let at = t
      for (const [i, exposure] of steps.entries()) {
        if (at >= o.end) break
        send('flag', `${flag}-${i}`, at, { flag, service: s.name, environment, exposure, changedAt: new Date(at).toISOString(), actor: `${s.team}@example.com` })
        if (exposure < 100 && rnd() < 0.12) {
          at += (1 + rnd() * 6) * HOUR
          if (at < o.end) send('flag', `${flag}-off`, at, { flag, service: s.name, environment, exposure: 0, changedAt: new Date(at).toISOString() })
          break
        }
        at += (0.5 + rnd() * 3) * DAY
      }
    }
    // Canary rollouts: most promoted, some aborted at 5–25 %.
    for (let r = 0, t = start + rnd() * 5 * DAY; t < o.end - DAY; r++, t += (4 + rnd() * 10) * DAY) {
      const rollout = `${s.name}-rollout-${r + 1}`
      const aborted = rnd() < 0.15
      const weights = aborted ? [5, 10, 25].slice(0, 1 + Math.floor(rnd() * 3)) : [10, 25, 50, 100]
      let at = t
      weights.forEach((weight, i) => {
        send('rollout', `${rollout}-${i}`, at, { rollout, service: s.name, environment, weight, phase: 'progressing', at: new Date(at).toISOString() })
        at += (10 + rnd() * 20) * 60_000
      })
      send('rollout', `${rollout}-end`, at, { rollout, service: s.name, environment, phase: aborted ? 'aborted' : 'completed', at: new Date(at).toISOString() })
    }
  }
  return out.filter((d) => d.at < o.end)
}
