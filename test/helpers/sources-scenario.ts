import { deploymentStatusPayload, githubDelivery, pagerdutyDelivery, pagerdutyPayload, pushPayload, type Delivery } from './payloads.ts'
import { gitlabDelivery, gitlabDeployment, gitlabIncident, gitlabMergeRequest, gitlabPush, incidentioCreated, incidentioDelivery, incidentioStatusUpdated, jiraDelivery, jiraIssue } from './source-payloads.ts'

export const SECRETS = {
  GH_SECRET: 'gh-mixed-secret',
  PD_SECRET: 'pd-mixed-secret',
  GITLAB_TOKEN: 'gitlab-mixed-token',
  INCIDENTIO_SECRET: 'whsec_' + Buffer.from('incident.io signing secret, 32 b').toString('base64'),
  JIRA_SECRET: 'jira-mixed-secret',
}

export const MIXED_CONFIG_YAML = `
server:
  port: 0
github: {webhookSecrets: [\${GH_SECRET}]}
pagerduty: {webhookSecrets: [\${PD_SECRET}]}
gitlab: {webhookTokens: [\${GITLAB_TOKEN}]}
incidentio: {webhookSecrets: [\${INCIDENTIO_SECRET}]}
jira: {webhookSecrets: [\${JIRA_SECRET}]}
services:
  - name: web
    team: frontend
    repositories: [acme/web]
    pagerdutyServices: [PWEB]
  - name: api
    team: backend
    gitlabProjects: [acme/platform/api]
    incidentioServices: [API Gateway]
    jiraProjects: [OPS]
`

const ZERO = '0'.repeat(40)
export const SHA = { W1: 'e'.repeat(39) + '1', G1: '1a2b3c4d' + 'f'.repeat(32), G2: '9'.repeat(39) + '2' }
const API = 'acme/platform/api'

/**
 * GitHub + PagerDuty (service web) beside GitLab + incident.io + Jira (service api),
 * first week of August 2026. Figures computed by hand for [2026-08-01, 2026-08-08):
 *
 * web (GitHub acme/web, PagerDuty PWEB):
 *   push 0 → W1 (w1 08-01 08:00); deployment #201 W1 success 08-01 10:00 → lead 7200
 *   PD P1 created 08-01 12:00, resolved 13:00: inside the 24 h window → #201 failed;
 *   restore 3600; recovery 13:00 − 10:00 = 10800. No rework (P1 started after).
 *   deployments 1, per day 1/7, lead {1, 7200, 7200, 7200}, failed 1, CFR 1, incidents 1,
 *   restore {1, 3600, 3600, 3600}, recovery {1, 10800…}; tiers: frequency high (1/7),
 *   lead elite, restore high (3600 is not < 1 h), CFR low → overall low.
 *
 * api (GitLab acme/platform/api, incident.io "API Gateway", Jira OPS):
 *   push 0 → G1 (g1 2026-08-02T08:00:00+02:00 = 06:00Z, g2 07:30Z); MR !5 merged (g2)
 *   deployment 301 running 08:55, success "2026-08-02 09:00:00 +0000" at G1 → g1 10800, g2 5400
 *   push G1 → G2 (g3 08-03 10:00); deployment 302 failed 10:30 (a failed attempt);
 *   deployment 303 success 11:00 at G2 → g3 3600; deployment 304 success, tier staging: ignored
 *   incident.io INC-7 created 08-03 12:00 (triage), live 12:10, learning 13:00: restore 3600;
 *     window → #303 failed, recovered 13:00 − 11:00 = 7200
 *   Jira OPS-9 (Incident) created 2026-08-05T09:00:00.000+0200 = 07:00Z, Done at 08:00Z:
 *     restore 3600; latest deployment before it is #303, 44 h earlier: outside the window
 *   Jira OPS-10 (Task) created and closed: not an incident
 *   GitLab incident #3 opened 08-06 10:00, closed 10:30, "root cause: 1a2b3c4d" (G1's prefix):
 *     explicit link → #301 failed; restore 1800; #301 recovered 08-06 10:30 → 351000
 *   deployments 2, per day 2/7, failedAttempts 1; lead [3600, 5400, 10800]: median 5400,
 *   p90 5400 + 0.8 × 5400 = 9720, mean 6600; failed 2, CFR 1; incidents 3, restore
 *   [1800, 3600, 3600]: median 3600, p90 3600, mean 3000; recovery [7200, 351000]: median
 *   179100, p90 7200 + 0.9 × 343800 = 316620, mean 179100; rework 0. Tiers: frequency high,
 *   lead elite, restore high, CFR low → overall low.
 */
export function mixedDeliveries(): Delivery[] {
  const gh = (event: string, payload: unknown) => githubDelivery(event, payload, SECRETS.GH_SECRET)
  const gl = (event: string, payload: unknown, key: string) => gitlabDelivery(event, payload, SECRETS.GITLAB_TOKEN, key)
  const iio = (payload: unknown, id: string) => incidentioDelivery(payload, SECRETS.INCIDENTIO_SECRET, id)
  const inc7 = { id: '01INC7', reference: 'INC-7', service: 'API Gateway', name: 'API 502s', createdAt: '2026-08-03T12:00:00Z' }
  const jira = (payload: unknown, id: string) => jiraDelivery(payload, SECRETS.JIRA_SECRET, id)
  const ops = { project: 'OPS', created: '2026-08-05T09:00:00.000+0200' }
  const glPush1 = gl('Push Hook', gitlabPush({ project: API, before: ZERO, after: SHA.G1, commits: [{ id: 'a1'.padEnd(40, '1'), timestamp: '2026-08-02T08:00:00+02:00' }, { id: 'a2'.padEnd(40, '2'), timestamp: '2026-08-02T07:30:00Z' }] }), 'gl-1')
  const inc7Live = iio(incidentioStatusUpdated({ ...inc7, updatedAt: '2026-08-03T12:10:00Z', category: 'live', status: 'Investigating', previous: ['triage', 'Triage'] }), 'msg_inc7_live')
  return [
    gh('push', pushPayload({ repo: 'acme/web', before: ZERO, after: SHA.W1, commits: [{ id: 'f1'.padEnd(40, '1'), timestamp: '2026-08-01T08:00:00Z' }] })),
    gh('deployment_status', deploymentStatusPayload({ repo: 'acme/web', deploymentId: 201, statusId: 2001, state: 'success', environment: 'production', sha: SHA.W1, at: '2026-08-01T10:00:00Z' })),
    pagerdutyDelivery(pagerdutyPayload({ eventId: 'PE1', type: 'incident.triggered', incidentId: 'P1', service: 'PWEB', occurredAt: '2026-08-01T12:00:01.000Z', createdAt: '2026-08-01T12:00:00Z', title: 'web down' }), SECRETS.PD_SECRET),
    pagerdutyDelivery(pagerdutyPayload({ eventId: 'PE2', type: 'incident.resolved', incidentId: 'P1', service: 'PWEB', occurredAt: '2026-08-01T13:00:00.000Z' }), SECRETS.PD_SECRET),

    glPush1,
    glPush1, // a GitLab retry: the same Idempotency-Key
    gl('Merge Request Hook', gitlabMergeRequest({ project: API, iid: 5, createdAt: '2026-08-01 10:00:00 UTC', updatedAt: '2026-08-02 07:45:00 UTC', mergeCommitSha: 'a2'.padEnd(40, '2') }), 'gl-2'),
    gl('Deployment Hook', gitlabDeployment({ project: API, deploymentId: 301, status: 'running', environment: 'production', tier: 'production', sha: SHA.G1, at: '2026-08-02 08:55:00 +0000' }), 'gl-3'),
    gl('Deployment Hook', gitlabDeployment({ project: API, deploymentId: 301, status: 'success', environment: 'production', tier: 'production', sha: SHA.G1, at: '2026-08-02 09:00:00 +0000' }), 'gl-4'),
    gl('Push Hook', gitlabPush({ project: API, before: SHA.G1, after: SHA.G2, commits: [{ id: 'a3'.padEnd(40, '3'), timestamp: '2026-08-03T10:00:00Z' }] }), 'gl-5'),
    gl('Deployment Hook', gitlabDeployment({ project: API, deploymentId: 302, status: 'failed', environment: 'production', tier: 'production', sha: SHA.G2, at: '2026-08-03 10:30:00 +0000' }), 'gl-6'),
    gl('Deployment Hook', gitlabDeployment({ project: API, deploymentId: 303, status: 'success', environment: 'production', tier: 'production', sha: SHA.G2, at: '2026-08-03 11:00:00 +0000' }), 'gl-7'),
    gl('Deployment Hook', gitlabDeployment({ project: API, deploymentId: 304, status: 'success', environment: 'staging', tier: 'staging', sha: SHA.G2, at: '2026-08-03 11:30:00 +0000' }), 'gl-8'),

    iio(incidentioCreated({ ...inc7, updatedAt: '2026-08-03T12:00:00Z', category: 'triage', status: 'Triage' }), 'msg_inc7_created'),
    inc7Live,
    inc7Live, // a Svix retry: the same webhook-id
    iio(incidentioStatusUpdated({ ...inc7, updatedAt: '2026-08-03T13:00:00Z', category: 'learning', status: 'Documenting', previous: ['live', 'Investigating'] }), 'msg_inc7_learning'),

    jira(jiraIssue({ ...ops, event: 'jira:issue_created', id: '20009', key: 'OPS-9', type: 'Incident', at: '2026-08-05T07:00:00Z', category: 'new', status: 'To Do' }), 'jh-1'),
    jira(jiraIssue({ ...ops, event: 'jira:issue_updated', id: '20009', key: 'OPS-9', type: 'Incident', at: '2026-08-05T08:00:00Z', category: 'done', status: 'Done', from: 'In Progress' }), 'jh-2'),
    jira(jiraIssue({ ...ops, event: 'jira:issue_created', id: '20010', key: 'OPS-10', type: 'Task', at: '2026-08-05T07:00:00Z', category: 'new', status: 'To Do' }), 'jh-3'),
    jira(jiraIssue({ ...ops, event: 'jira:issue_updated', id: '20010', key: 'OPS-10', type: 'Task', at: '2026-08-05T09:00:00Z', category: 'done', status: 'Done', from: 'To Do' }), 'jh-4'),

    gl('Issue Hook', gitlabIncident({ project: API, iid: 3, action: 'open', description: 'Checkout 500s. root cause: 1a2b3c4d', createdAt: '2026-08-06T10:00:00.000Z', updatedAt: '2026-08-06T10:00:00.000Z', closedAt: null }), 'gl-9'),
    gl('Issue Hook', gitlabIncident({ project: API, iid: 3, action: 'close', description: 'Checkout 500s. root cause: 1a2b3c4d', createdAt: '2026-08-06T10:00:00.000Z', updatedAt: '2026-08-06T10:30:00.100Z', closedAt: '2026-08-06T10:30:00.000Z' }), 'gl-10'),
  ]
}

const TIERS_LOW = { deploymentFrequency: 'high', leadTime: 'elite', timeToRestore: 'high', changeFailureRate: 'low', overall: 'low' }

/** The hand-computed rows over [2026-08-01, 2026-08-08), by service. */
export const EXPECTED_MIXED_ROWS = [
  {
    service: 'api', team: 'backend', bucketStart: null,
    deployments: 2, deploymentsPerDay: 2 / 7, failedAttempts: 1,
    leadTimeSeconds: { count: 3, median: 5400, p90: 9720, mean: 6600 },
    failedDeployments: 2, changeFailureRate: 1,
    incidents: 3, timeToRestoreSeconds: { count: 3, median: 3600, p90: 3600, mean: 3000 },
    failedDeploymentRecoverySeconds: { count: 2, median: 179100, p90: 316620, mean: 179100 },
    reworkDeployments: 0, reworkRate: 0,
    tiers: TIERS_LOW,
    // §17 by hand: lead 5400 s (> 1 h) → 8; 2/7 per day (< 1) → 6; recovery 179100 s (> 1 day, ≤ 7) → 6;
    // CFR 1 → 0; rework 0 → 10; throughput 20/3; stability 5; overall 30/5.
    scores: { leadTime: 8, deploymentFrequency: 6, failedDeploymentRecovery: 6, changeFailure: 0, rework: 10, throughput: 20 / 3, stability: 5, overall: 6 },
  },
  {
    service: 'web', team: 'frontend', bucketStart: null,
    deployments: 1, deploymentsPerDay: 1 / 7, failedAttempts: 0,
    leadTimeSeconds: { count: 1, median: 7200, p90: 7200, mean: 7200 },
    failedDeployments: 1, changeFailureRate: 1,
    incidents: 1, timeToRestoreSeconds: { count: 1, median: 3600, p90: 3600, mean: 3600 },
    failedDeploymentRecoverySeconds: { count: 1, median: 10800, p90: 10800, mean: 10800 },
    reworkDeployments: 0, reworkRate: 0,
    tiers: TIERS_LOW,
    // §17 by hand: lead 7200 s → 8; 1/7 per day (not below 1/7, below 1) → 6; recovery 10800 s (> 1 h) → 8;
    // CFR 1 → 0; rework 0 → 10; throughput 22/3; stability 5; overall 32/5.
    scores: { leadTime: 8, deploymentFrequency: 6, failedDeploymentRecovery: 8, changeFailure: 0, rework: 10, throughput: 22 / 3, stability: 5, overall: 32 / 5 },
  },
]
