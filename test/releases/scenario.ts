import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { deploymentStatusPayload, FIXTURES, githubDelivery, pushPayload, type Delivery } from '../helpers/payloads.ts'

/**
 * The release scenario: service checkout (team payments, flags `checkout-*`)
 * in Q3 2026, through every release source. Figures computed by hand below.
 */
export const RELEASE_SECRETS = { github: 'gh-rel', launchdarkly: 'ld-rel', unleash: 'Basic dW5sZWFzaC1yZWw=', flagsmith: 'fs-rel', flagger: 'flagger-rel', events: 'events-rel' }

export const RELEASE_CONFIG_YAML = `
server:
  port: 0
github:
  webhookSecrets: [${RELEASE_SECRETS.github}]
events:
  tokens: [${RELEASE_SECRETS.events}]
flags:
  launchdarkly: {webhookSecrets: [${RELEASE_SECRETS.launchdarkly}]}
  unleash: {tokens: ['${RELEASE_SECRETS.unleash}']}
  flagsmith: {webhookSecrets: [${RELEASE_SECRETS.flagsmith}]}
flagger:
  tokens: [${RELEASE_SECRETS.flagger}]
freezes:
  - {name: holidays, from: 2026-07-20, to: 2026-07-22, teams: [payments]}
metrics:
  timezone: UTC
  incidentAttributionWindowHours: 24
services:
  - name: checkout
    team: payments
    repositories: [acme/checkout]
    flags: ['checkout-*']
`

/** The freeze annotation (POST /api/v1/annotations): 07-10 11:30 → 13:00, team payments. */
export const FREEZE_ANNOTATION = { id: 'pay-freeze', at: '2026-07-10T11:30:00Z', endAt: '2026-07-10T13:00:00Z', text: 'payments provider migration', tags: ['freeze'], team: 'payments' }

const REPO = 'acme/checkout'
const sha = (c: string) => c.repeat(40)
const ZERO = '0'.repeat(40)
const raw = (p: string) => readFileSync(p, 'utf8')
const hex = (body: string, secret: string) => createHmac('sha256', secret).update(body).digest('hex')
const JSON_CT = { 'content-type': 'application/json' }

function github(): Delivery[] {
  const gh = (event: string, payload: unknown) => githubDelivery(event, payload, RELEASE_SECRETS.github)
  const pushes: [string, string, string, string][] = [
    // [before, after, commit id, time]
    [ZERO, sha('a'), 'c1', '2026-07-01T08:00:00Z'],
    [sha('a'), sha('b'), 'c2', '2026-07-02T08:00:00Z'],
    [sha('b'), sha('c'), 'c3', '2026-07-05T08:00:00Z'],
    [sha('c'), sha('d'), 'c4', '2026-07-10T08:00:00Z'],
    [sha('d'), sha('e'), 'c5', '2026-07-10T11:00:00Z'],
    [sha('e'), sha('f'), 'c6', '2026-07-21T08:00:00Z'],
    [sha('f'), sha('9'), 'c7', '2026-07-21T12:00:00Z'],
  ]
  const deploys: [number, string, string][] = [
    [201, sha('a'), '2026-07-01T10:00:00Z'], // D1
    [202, sha('b'), '2026-07-02T10:00:00Z'], // D2: incident i1 → failed; rolled back by D3
    [203, sha('a'), '2026-07-02T10:40:00Z'], // D3: rollback
    [204, sha('c'), '2026-07-05T10:00:00Z'], // D4: incident i2 → failed; the flag switched off at 10:29
    [205, sha('d'), '2026-07-10T09:00:00Z'], // D5: incident i3 → failed; D6 fixes forward
    [206, sha('e'), '2026-07-10T12:00:00Z'], // D6: in the annotation freeze
    [207, sha('f'), '2026-07-21T10:00:00Z'], // D7: in the holidays freeze
    [208, sha('9'), '2026-07-21T14:00:00Z'], // D8: in the holidays freeze; incident i4 → failed, other
  ]
  return [
    ...pushes.map(([before, after, c, at]) => gh('push', pushPayload({ repo: REPO, before, after, commits: [{ id: c.padEnd(40, '0'), timestamp: at }] }))),
    ...deploys.map(([id, s, at]) => gh('deployment_status', deploymentStatusPayload({ repo: REPO, deploymentId: id, statusId: id * 10, state: 'success', environment: 'production', sha: s, at }))),
  ]
}

const events = (body: object): Delivery => ({ path: '/events', headers: { ...JSON_CT, authorization: `Bearer ${RELEASE_SECRETS.events}` }, body: JSON.stringify(body) })

function incidents(): Delivery[] {
  const spans: [string, string, string][] = [
    ['i1', '2026-07-02T10:30:00Z', '2026-07-02T12:00:00Z'],
    ['i2', '2026-07-05T10:20:00Z', '2026-07-05T10:35:00Z'],
    ['i3', '2026-07-10T09:30:00Z', '2026-07-10T12:40:00Z'],
    ['i4', '2026-07-21T14:30:00Z', '2026-07-21T15:00:00Z'],
  ]
  return spans.flatMap(([id, start, end]) => [
    events({ kind: 'incident', id, service: 'checkout', status: 'detected', at: start, title: `${id} errors up` }),
    events({ kind: 'incident', id, service: 'checkout', status: 'resolved', at: end }),
  ])
}

/** LaunchDarkly entries built on the documented flag (test/fixtures/launchdarkly), flag key `checkout-new-pay`. */
function launchdarkly(): Delivery[] {
  const base = JSON.parse(raw(path.resolve(import.meta.dirname, '../fixtures/launchdarkly/flag.updateFallthrough.json')))
  const withProduction = (version: any, prod: object) => ({ ...version, key: 'checkout-new-pay', environments: { ...version.environments, production: { ...version.environments.production, ...prod } } })
  const off = { on: false }
  const pct = (p: number) => ({ on: true, fallthrough: { rollout: { variations: [{ variation: 0, weight: p * 1000 }, { variation: 1, weight: (100 - p) * 1000 }] } } })
  const all = { on: true, fallthrough: { variation: 0 } }
  const entry = (id: string, date: string, action: string, prev: object, cur: object) => {
    const body = JSON.stringify({
      ...base,
      _id: id,
      date: Date.parse(date),
      accesses: [{ action, resource: 'proj/default:env/production:flag/checkout-new-pay' }],
      previousVersion: withProduction(base.previousVersion, prev),
      currentVersion: withProduction(base.currentVersion, cur),
    })
    return { path: '/webhooks/launchdarkly', headers: { ...JSON_CT, 'x-ld-signature': hex(body, RELEASE_SECRETS.launchdarkly) }, body }
  }
  return [
    entry('ld-1', '2026-07-01T12:00:00Z', 'updateOn', off, pct(10)), // release (0 → 10)
    entry('ld-2', '2026-07-03T12:00:00Z', 'updateFallthrough', pct(10), all), // full release: 2 days
    entry('ld-3', '2026-07-05T10:29:00Z', 'updateOn', all, off), // kill switch: i2 open since 10:20 → 540 s
  ]
}

function unleash(): Delivery[] {
  const base = (f: string) => JSON.parse(raw(path.join(FIXTURES, 'unleash', f)))
  const send = (body: object) => ({ path: '/webhooks/unleash', headers: { ...JSON_CT, authorization: RELEASE_SECRETS.unleash }, body: JSON.stringify(body) })
  const common = { featureName: 'checkout-dark-mode', project: 'web', environment: 'production' }
  const add = base('feature-strategy-add.json')
  const update = base('feature-strategy-update.json')
  return [
    send({ ...add, ...common, id: 5001, createdAt: '2026-07-06T09:00:00.000Z', data: { ...add.data, parameters: { ...add.data.parameters, rollout: '25' } } }), // still off: no release
    send({ ...base('feature-environment-enabled.json'), ...common, id: 5002, createdAt: '2026-07-06T10:00:00.000Z' }), // release at 25 %
    send({ ...update, ...common, id: 5003, createdAt: '2026-07-09T16:00:00.000Z', data: { ...update.data, parameters: { ...update.data.parameters, rollout: '100' } }, preData: { ...update.preData, parameters: { ...update.preData.parameters, rollout: '25' } } }), // full release: 3 d 6 h
  ]
}

function flagsmith(): Delivery[] {
  const f = JSON.parse(raw(path.join(FIXTURES, 'flagsmith/flag_updated.json')))
  const env = { ...f.data.new_state.environment, name: 'Production', id: 24 }
  const body = JSON.stringify({ ...f, data: { ...f.data, timestamp: '2026-07-20T09:00:00.000000Z', new_state: { ...f.data.new_state, environment: env }, previous_state: { ...f.data.previous_state, environment: env } } })
  return [{ path: '/webhooks/flagsmith', headers: { ...JSON_CT, 'x-flagsmith-signature': hex(body, RELEASE_SECRETS.flagsmith) }, body }]
}

function rollouts(): Delivery[] {
  const ev = JSON.parse(raw(path.join(FIXTURES, 'flagger/event.progressing.json')))
  const hook = JSON.parse(raw(path.join(FIXTURES, 'flagger/webhook.progressing.json')))
  const flagger = (at: string, phase: string, message: string) => ({
    path: `/webhooks/flagger?token=${RELEASE_SECRETS.flagger}`,
    headers: JSON_CT,
    body: JSON.stringify({ ...ev, name: 'checkout', namespace: 'prod', phase, metadata: { ...ev.metadata, eventMessage: message, timestamp: String(Date.parse(at)) } }),
  })
  return [
    // Our own JSON: 10 → 25 → aborted (blast radius 25).
    events({ kind: 'rollout', id: 'r1-1', rollout: 'checkout-r1', service: 'checkout', environment: 'production', weight: 10, phase: 'progressing', at: '2026-07-02T09:50:00Z' }),
    events({ kind: 'rollout', id: 'r1-2', rollout: 'checkout-r1', service: 'checkout', environment: 'production', weight: 25, phase: 'progressing', at: '2026-07-02T09:55:00Z' }),
    events({ kind: 'rollout', id: 'r1-3', rollout: 'checkout-r1', service: 'checkout', environment: 'production', phase: 'aborted', at: '2026-07-02T10:00:00Z' }),
    // Flagger: 5 → 10 → rolled back (blast radius 10); the post-rollout webhook repeats the failure.
    flagger('2026-07-10T08:00:00Z', 'Progressing', 'New revision detected! Scaling up checkout.prod'),
    flagger('2026-07-10T08:10:00Z', 'Progressing', 'Advance checkout.prod canary weight 5'),
    flagger('2026-07-10T08:20:00Z', 'Progressing', 'Advance checkout.prod canary weight 10'),
    flagger('2026-07-10T08:30:00Z', 'Progressing', 'Rolling back checkout.prod failed checks threshold reached 5'),
    flagger('2026-07-10T08:31:00Z', 'Failed', 'Canary failed! Scaling down checkout.prod'),
    { path: `/webhooks/flagger?token=${RELEASE_SECRETS.flagger}`, headers: JSON_CT, body: JSON.stringify({ ...hook, name: 'checkout', namespace: 'prod', phase: 'Failed', checksum: 'd5f1', metadata: { type: 'post-rollout' } }) },
    // Flagger: promoted at 50 (not an abort).
    flagger('2026-07-21T09:00:00Z', 'Progressing', 'New revision detected! Scaling up checkout.prod'),
    flagger('2026-07-21T09:10:00Z', 'Progressing', 'Advance checkout.prod canary weight 10'),
    flagger('2026-07-21T09:20:00Z', 'Progressing', 'Advance checkout.prod canary weight 50'),
    flagger('2026-07-21T09:40:00Z', 'Succeeded', 'Promotion completed! Scaling down checkout.prod'),
  ]
}

export function releaseDeliveries(): Delivery[] {
  return [
    ...github(),
    ...incidents(),
    ...launchdarkly(),
    ...unleash(),
    ...flagsmith(),
    events({ kind: 'flag', id: 'ff-banner', flag: 'checkout-banner', environment: 'production', exposure: 50, changedAt: '2026-07-15T09:00:00Z', actor: 'ana@example.com' }), // release, no full release
    events({ kind: 'flag', id: 'ff-staging', flag: 'checkout-banner', environment: 'staging', exposure: 100, changedAt: '2026-07-15T10:00:00Z' }), // not production
    ...rollouts(),
  ]
}

const none = { count: 0, median: null, p90: null, mean: null }
const one = (v: number) => ({ count: 1, median: v, p90: v, mean: v })

/**
 * Q3 2026 ([07-01, 10-01), UTC), hand-computed:
 * - releases: checkout-new-pay 07-01 12:00 (10 %), checkout-dark-mode 07-06 10:00 (25 %),
 *   checkout-banner 07-15 09:00 (50 %) → 3; full releases: new-pay 07-03 12:00 (172800 s),
 *   dark-mode 07-09 16:00 (280800 s) → 2, rollout median 226800, p90 172800 + 0.9 × 108000 =
 *   270000, mean 226800; kill switch: new-pay off 07-05 10:29 with i2 open since 10:20 → 540 s;
 *   stale at 10-01: dark-mode (100 % since 07-09 16:00, > 30 days) → 1.
 * - failed: D2 (i1, rollback D3 at 10:40: 2400 s), D4 (i2, resolved 10:35: 2100 s, kill switch
 *   10:29 in [10:00, 10:35]), D5 (i3, resolved 12:40: 13200 s; D6 with c5 at 12:00: fix-forward),
 *   D8 (i4, resolved 15:00: 3600 s, nothing in between: other).
 * - freezes: D6 (annotation pay-freeze), D7, D8 (holidays) → 3, failed 1 (D8).
 * - canary aborts: checkout-r1 (25), checkout.prod first attempt (10) → 2; blast radius
 *   median 17.5, p90 10 + 0.9 × 15 = 23.5, mean 17.5.
 * - "Flagsmith Website" (team unassigned, its project: butter_bar matches no glob): the flag on
 *   in Production 07-20 09:00: a release that is its own full release (0 s), stale at 10-01.
 */
export const EXPECTED_Q3 = {
  checkout: {
    release: { releases: 3, fullReleases: 2, rolloutSeconds: { count: 2, median: 226800, p90: 270000, mean: 226800 }, killSwitches: 1, timeToKillSeconds: one(540), staleFlags: 1 },
    recoveryByPath: { rollback: one(2400), kill_switch: one(2100), fix_forward: one(13200), other: one(3600) },
    freezeDeployments: 3,
    freezeFailedDeployments: 1,
    canaryAborts: 2,
    blastRadiusPercent: { count: 2, median: 17.5, p90: 23.5, mean: 17.5 },
  },
  flagsmithWebsite: {
    release: { releases: 1, fullReleases: 1, rolloutSeconds: one(0), killSwitches: 0, timeToKillSeconds: none, staleFlags: 1 },
    recoveryByPath: { rollback: none, kill_switch: none, fix_forward: none, other: none },
    freezeDeployments: 0,
    freezeFailedDeployments: 0,
    canaryAborts: 0,
    blastRadiusPercent: none,
  },
}
