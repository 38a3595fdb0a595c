import { deploymentStatusPayload, githubDelivery, issuePayload, pagerdutyDelivery, pagerdutyPayload, pullRequestMergedPayload, pushPayload, type Delivery } from './payloads.ts'

export const GITHUB_SECRET = 'gh-test-secret'
export const PAGERDUTY_SECRET = 'pd-test-secret'
export const REPO = 'acme/checkout'

export const SHA = {
  A: 'a'.repeat(39) + '1',
  B: 'b0b0b0b0c' + 'b'.repeat(31),
  C: 'c'.repeat(39) + '3',
  D: 'd'.repeat(39) + '4',
}
const ZERO = '0'.repeat(40)

export const SCENARIO_CONFIG_YAML = `
server:
  port: 0
github:
  webhookSecrets: [wrong-old-secret, \${GH_SECRET}]
pagerduty:
  webhookSecrets: [\${PD_SECRET}]
metrics:
  timezone: UTC
  incidentAttributionWindowHours: 24
services:
  - name: checkout
    team: payments
    repositories: [acme/checkout]
    pagerdutyServices: [PCHECK]
`

/**
 * The end-to-end scenario, checkout in the first week of July 2026. Figures
 * computed by hand for [2026-07-01, 2026-07-08):
 *
 * main: 0 → A (c1 08:00) → B (c2 09:00, c3 09:30) → C (c4 07-02 08:00) → D (c5 07-03 10:00)
 * D1 #101 B at 07-01 10:00 — changes c1 7200 s, c2 3600 s, c3 1800 s; PR #12 (merge c3)
 * D2 #102 C at 07-02 10:00 — c4 7200 s; rolled back by D3 → failed, recovered after 3600 s
 * D3 #103 B at 07-02 11:00 — rollback (B deployed before D2): no changes, rework
 * D4 #104 D at 07-03 12:00 — c5 7200 s (c4 already D2's); PD Q1 starts 1 h later → failed
 *                             (window), Q1 resolved 14:30 → recovery 9000 s
 * #105 failure status at 07-03 11:00 — one failed attempt; #106 to staging — ignored
 * PD Q1 07-03 13:00 → 14:30 (ack 13:05): restore 5400 s
 * issue #7 "incident", body names B's prefix: links D1 → failed; open 07-05 09:00 → closed
 *   10:00: restore 3600 s; D1 recovered 07-05 10:00 → 345600 s
 *
 * deployments 4, per day 4/7; failedAttempts 1; lead times [1800, 3600, 7200, 7200, 7200]:
 * median 7200, p90 7200, mean 5400; failed 3, CFR 0.75; incidents 2, restore [3600, 5400]:
 * median 4500, p90 5220, mean 4500; recovery [3600, 9000, 345600]: median 9000,
 * p90 9000 + 0.8 × 336600 = 278280, mean 119400; rework 1, rate 0.25.
 * Tiers: frequency high (1/7..1), lead time elite (< 1 day), restore high (1 h..1 day),
 * CFR low (> 45 %) → overall low.
 */
export function scenarioDeliveries(): Delivery[] {
  const gh = (event: string, payload: unknown, id?: string) => githubDelivery(event, payload, GITHUB_SECRET, id)
  const pdd = (p: Parameters<typeof pagerdutyPayload>[0]) => pagerdutyDelivery(pagerdutyPayload(p), PAGERDUTY_SECRET)
  const status = (deploymentId: number, statusId: number, state: string, environment: string, sha: string, at: string) =>
    gh('deployment_status', deploymentStatusPayload({ repo: REPO, deploymentId, statusId, state, environment, sha, at }))
  return [
    gh('push', pushPayload({ repo: REPO, before: ZERO, after: SHA.A, commits: [{ id: 'c1'.padEnd(40, '1'), timestamp: '2026-07-01T08:00:00Z' }] })),
    gh('push', pushPayload({ repo: REPO, before: SHA.A, after: SHA.B, commits: [{ id: 'c2'.padEnd(40, '2'), timestamp: '2026-07-01T09:00:00Z' }, { id: 'c3'.padEnd(40, '3'), timestamp: '2026-07-01T11:30:00+02:00' }] })),
    gh('push', pushPayload({ repo: REPO, before: SHA.B, after: SHA.C, commits: [{ id: 'c4'.padEnd(40, '4'), timestamp: '2026-07-02T08:00:00Z' }] })),
    gh('push', pushPayload({ repo: REPO, before: SHA.C, after: SHA.D, commits: [{ id: 'c5'.padEnd(40, '5'), timestamp: '2026-07-03T10:00:00Z' }] })),
    gh('pull_request', pullRequestMergedPayload({ repo: REPO, number: 12, createdAt: '2026-06-30T09:30:00Z', mergedAt: '2026-07-01T09:30:00Z', mergeCommitSha: 'c3'.padEnd(40, '3') })),
    status(101, 1001, 'in_progress', 'production', SHA.B, '2026-07-01T09:58:00Z'),
    status(101, 1002, 'success', 'production', SHA.B, '2026-07-01T10:00:00Z'),
    status(102, 1003, 'success', 'production', SHA.C, '2026-07-02T10:00:00Z'),
    status(103, 1004, 'success', 'Production', SHA.B, '2026-07-02T11:00:00Z'),
    status(105, 1005, 'failure', 'production', SHA.D, '2026-07-03T11:00:00Z'),
    status(104, 1006, 'success', 'production', SHA.D, '2026-07-03T12:00:00Z'),
    status(104, 1007, 'success', 'production', SHA.D, '2026-07-03T12:05:00Z'),
    status(106, 1008, 'success', 'staging', SHA.D, '2026-07-03T12:10:00Z'),
    pdd({ eventId: 'E1', type: 'incident.triggered', incidentId: 'Q1', service: 'PCHECK', occurredAt: '2026-07-03T13:00:02.000Z', createdAt: '2026-07-03T13:00:00Z', title: 'Checkout latency' }),
    pdd({ eventId: 'E2', type: 'incident.acknowledged', incidentId: 'Q1', service: 'PCHECK', occurredAt: '2026-07-03T13:05:00.000Z' }),
    pdd({ eventId: 'E3', type: 'incident.resolved', incidentId: 'Q1', service: 'PCHECK', occurredAt: '2026-07-03T14:30:00.000Z' }),
    gh('issues', issuePayload({ repo: REPO, action: 'opened', number: 7, labels: ['Incident'], body: `Payments fail since ${SHA.B.slice(0, 9)} was deployed`, createdAt: '2026-07-05T09:00:00Z', closedAt: null, updatedAt: '2026-07-05T09:00:00Z' })),
    gh('issues', issuePayload({ repo: REPO, action: 'closed', number: 7, labels: ['Incident'], body: `Payments fail since ${SHA.B.slice(0, 9)} was deployed`, createdAt: '2026-07-05T09:00:00Z', closedAt: '2026-07-05T10:00:00Z', updatedAt: '2026-07-05T10:00:00Z' })),
  ]
}

/** The hand-computed answer row for checkout over [2026-07-01, 2026-07-08). */
export const EXPECTED_CHECKOUT_ROW = {
  service: 'checkout',
  team: 'payments',
  bucketStart: null,
  deployments: 4,
  deploymentsPerDay: 4 / 7,
  failedAttempts: 1,
  leadTimeSeconds: { count: 5, median: 7200, p90: 7200, mean: 5400 },
  failedDeployments: 3,
  changeFailureRate: 0.75,
  incidents: 2,
  timeToRestoreSeconds: { count: 2, median: 4500, p90: 5220, mean: 4500 },
  failedDeploymentRecoverySeconds: { count: 3, median: 9000, p90: 278280, mean: 119400 },
  reworkDeployments: 1,
  reworkRate: 0.25,
  tiers: { deploymentFrequency: 'high', leadTime: 'elite', timeToRestore: 'high', changeFailureRate: 'low', overall: 'low' },
  // §17 by hand: lead 7200 s (> 1 h) → 8; 4/7 per day (< 1) → 6; recovery 9000 s (> 1 h, ≤ 1 day) → 8;
  // 10 − 7.5 = 2.5; 10 − 2.5 = 7.5; throughput 22/3; stability 5; overall 32/5.
  scores: { leadTime: 8, deploymentFrequency: 6, failedDeploymentRecovery: 8, changeFailure: 2.5, rework: 7.5, throughput: 22 / 3, stability: 5, overall: 32 / 5 },
  // METRICS.md §12–§15: no flags, rollouts or freezes here. Recovery paths (§13): D2 recovered by
  // its rollback D3 (3600 s); D1 recovered 07-05 10:00 with D2 (one change) deployed in between:
  // fix-forward (345600 s); D4 recovered by Q1's resolution with no deployment in between: other (9000 s).
  release: { releases: 0, fullReleases: 0, rolloutSeconds: { count: 0, median: null, p90: null, mean: null }, killSwitches: 0, timeToKillSeconds: { count: 0, median: null, p90: null, mean: null }, staleFlags: 0 },
  recoveryByPath: {
    rollback: { count: 1, median: 3600, p90: 3600, mean: 3600 },
    kill_switch: { count: 0, median: null, p90: null, mean: null },
    fix_forward: { count: 1, median: 345600, p90: 345600, mean: 345600 },
    other: { count: 1, median: 9000, p90: 9000, mean: 9000 },
  },
  freezeDeployments: 0,
  freezeFailedDeployments: 0,
  canaryAborts: 0,
  blastRadiusPercent: { count: 0, median: null, p90: null, mean: null },
}
