import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Envelope } from '../../contracts/envelope.ts'
import { parseEnvelope } from '../../sources/parse.ts'
import { cdeventsEnvelope, githubEnvelope, genericEnvelope, pagerdutyEnvelope } from '../helpers/envelope.ts'
import { fixture, fixtureFiles } from './fixtures.ts'

/** Every shared fixture and its outcome; a new fixture file fails the coverage test until listed. */
const EXPECTED: Record<string, 'ok' | 'drop'> = {
  'github/deployment.created.json': 'drop',
  'github/deployment_status.created.json': 'ok',
  'github/deployment_status.error.json': 'ok',
  'github/deployment_status.failure.json': 'ok',
  'github/deployment_status.pending.json': 'ok',
  'github/issues.closed.json': 'ok',
  'github/issues.labeled.json': 'ok',
  'github/issues.opened.json': 'ok',
  'github/issues.reopened.json': 'ok',
  'github/ping.json': 'drop',
  'github/pull_request.closed.merged.json': 'ok',
  'github/pull_request.closed.unmerged.json': 'drop',
  'github/pull_request.opened.json': 'drop',
  'github/push.deleted.json': 'ok',
  'github/push.json': 'ok',
  'github/release.published.json': 'drop',
  'github/workflow_run.completed.failure.json': 'drop',
  'github/workflow_run.completed.json': 'drop',
  'pagerduty/incident.acknowledged.json': 'ok',
  'pagerduty/incident.annotated.json': 'drop',
  'pagerduty/incident.escalated.json': 'ok',
  'pagerduty/incident.priority_updated.json': 'ok',
  'pagerduty/incident.priority_updated.pagerduty-docs.json': 'ok',
  'pagerduty/incident.reopened.json': 'ok',
  'pagerduty/incident.resolved.json': 'ok',
  'pagerduty/incident.triggered.json': 'ok',
  'pagerduty/incident.unacknowledged.json': 'ok',
  'cdevents/change.merged.json': 'drop',
  'cdevents/incident.detected.json': 'ok',
  'cdevents/incident.resolved.json': 'ok',
  'cdevents/service.deployed.json': 'ok',
}

function envelopeFor(rel: string): Envelope {
  const [dir, file] = rel.split('/') as [string, string]
  const raw = fixture(rel)
  if (dir === 'github') return githubEnvelope(file.split('.')[0]!, raw) // the file name starts with the event name
  if (dir === 'pagerduty') return pagerdutyEnvelope(raw)
  return cdeventsEnvelope(raw)
}

describe('parseEnvelope over every shared fixture', () => {
  it('the table lists every fixture file', () => {
    const all = ['github', 'pagerduty', 'cdevents'].flatMap((d) => fixtureFiles(d).map((f) => `${d}/${f}`))
    expect(all.sort()).toEqual(Object.keys(EXPECTED).sort())
  })

  it.each(Object.entries(EXPECTED))('%s → %s', (rel, kind) => {
    const env = envelopeFor(rel)
    const out = parseEnvelope(env)
    expect(out.kind, JSON.stringify(out)).toBe(kind)
    expect(parseEnvelope(env)).toEqual(out) // deterministic
  })

  it('every event has a key and a routing', () => {
    for (const rel of Object.keys(EXPECTED)) {
      const out = parseEnvelope(envelopeFor(rel))
      if (out.kind === 'ok') for (const e of out.events) expect(e.key && e.routing, rel).toBeTruthy()
    }
  })
})

describe('parseEnvelope dispatch', () => {
  it('an unknown doraflowsource (foreign log record) is a dead letter, not a throw', () => {
    const env = { ...genericEnvelope({}), doraflowsource: 'opsgenie' } as unknown as Envelope
    const out = parseEnvelope(env)
    expect(out).toEqual({ kind: 'dlq', reason: 'unknown doraflowsource "opsgenie"', code: 'unknown_source' })
  })

  it('a body of the wrong source is a dead letter', () => {
    expect(parseEnvelope(pagerdutyEnvelope(fixture('github/push.json'))).kind).toBe('dlq')
    expect(parseEnvelope(genericEnvelope(fixture('cdevents/service.deployed.json'))).kind).toBe('dlq')
  })
})

describe('never throws', () => {
  it('on arbitrary JSON or text, for every source and GitHub event', () => {
    const body = fc.oneof(fc.json(), fc.string(), fc.jsonValue().map((v) => JSON.stringify({ event: v, repository: v, context: v, data: v })))
    const build = fc.constantFrom(
      (b: string) => githubEnvelope('push', b),
      (b: string) => githubEnvelope('issues', b),
      (b: string) => githubEnvelope('deployment_status', b),
      (b: string) => githubEnvelope('pull_request', b, undefined, { 'content-type': 'application/x-www-form-urlencoded' }),
      (b: string) => pagerdutyEnvelope(b),
      (b: string) => genericEnvelope(b),
      (b: string) => cdeventsEnvelope(b),
    )
    fc.assert(
      fc.property(build, body, (make, b) => {
        const out = parseEnvelope(make(b))
        expect(['ok', 'drop', 'dlq']).toContain(out.kind)
        // guard() turns bugs into dead letters too; those must not happen.
        if (out.kind === 'dlq') expect(out.reason).not.toContain('parser error')
      }),
      { numRuns: 500, seed: 42 },
    )
  })
})
