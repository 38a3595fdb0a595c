import { describe, expect, it } from 'vitest'
import type { Envelope } from '../../contracts/envelope.ts'
import { DEAD_LETTER_CODES, DROP_CODES } from '../../contracts/events.ts'
import { parseEnvelope } from '../../sources/parse.ts'
import { annotationEnvelope } from '../../sources/annotation/envelope.ts'
import { genericEnvelope, githubEnvelope, pagerdutyEnvelope } from '../helpers/envelope.ts'
import { fixture } from './fixtures.ts'

const codeOf = (env: Envelope) => {
  const out = parseEnvelope(env)
  return out.kind === 'dlq' ? out.code : out.kind
}

describe('dead-letter reason codes beside the sentence', () => {
  const deployment = { kind: 'deployment', id: 'd', service: 's', environment: 'production', sha: 'abcdef1', deployedAt: '2026-07-01T00:00:00Z' }
  const pr = JSON.parse(fixture('github/pull_request.closed.merged.json'))

  it.each<[string, () => Envelope, string]>([
    ['body not JSON', () => genericEnvelope('{"kind":'), 'bad_json'],
    ['GitHub body not an object', () => githubEnvelope('push', '[1]'), 'bad_json'],
    ['push without repository', () => githubEnvelope('push', { ref: 'refs/heads/main', before: 'a', after: 'b', commits: [] }), 'missing_repository'],
    ['our JSON without environment', () => genericEnvelope({ ...deployment, environment: undefined }), 'missing_field'],
    ['our JSON with a date that is not one', () => genericEnvelope({ ...deployment, deployedAt: 'yesterday' }), 'bad_timestamp'],
    ['PR number -1', () => githubEnvelope('pull_request', { ...pr, pull_request: { ...pr.pull_request, number: -1 } }), 'bad_number'],
    ['a field of the wrong type', () => githubEnvelope('push', { ...JSON.parse(fixture('github/push.json')), commits: 'x' }), 'bad_field'],
    ['PagerDuty occurred_at "soon"', () => pagerdutyEnvelope({ event: { id: 'e', event_type: 'incident.triggered', occurred_at: 'soon', data: { id: 'Q', type: 'incident', service: { id: 'P' } } } }), 'bad_timestamp'],
    ['annotation without text', () => annotationEnvelope({ action: 'added', id: 'n', at: '2026-07-01T00:00:00Z', endAt: null, text: '', tags: [], service: null, team: null }), 'bad_field'],
    ['a kind of no source', () => ({ ...genericEnvelope(deployment), doraflowsource: 'opsgenie' }) as unknown as Envelope, 'unknown_source'],
  ])('%s → %s', (_what, make, code) => {
    expect(codeOf(make())).toBe(code)
    expect(DEAD_LETTER_CODES).toContain(code)
  })
})

describe('drop reason codes beside the sentence', () => {
  it.each<[string, () => Envelope, string]>([
    ['GitHub ping', () => githubEnvelope('ping', fixture('github/ping.json')), 'not_used_by_metrics'],
    ['a PR opened', () => githubEnvelope('pull_request', fixture('github/pull_request.opened.json')), 'not_a_merge'],
    ['a PagerDuty note naming no service', () => pagerdutyEnvelope(fixture('pagerduty/incident.annotated.json')), 'no_service_to_route'],
  ])('%s → %s', (_what, make, code) => {
    const out = parseEnvelope(make())
    expect(out.kind).toBe('drop')
    if (out.kind === 'drop') expect(out.code).toBe(code)
    expect(DROP_CODES).toContain(code)
  })
})
