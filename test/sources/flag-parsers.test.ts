import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Envelope } from '../../contracts/envelope.ts'
import type { ParseOutcome } from '../../contracts/events.ts'
import { parseEnvelope } from '../../sources/parse.ts'
import { fixture } from '../parse/fixtures.ts'

const LD = path.resolve(import.meta.dirname, '../fixtures/launchdarkly')
const ld = (f: string) => readFileSync(path.join(LD, f), 'utf8')

const envelope = (source: Envelope['doraflowsource'], data: string, time = '2026-07-01T00:00:00.000Z'): Envelope => ({
  specversion: '1.0', id: `${source}:x`, source: `/webhooks/${source}`, type: 't', time, subject: 's', datacontenttype: 'application/json', doraflowsource: source, doraflowheaders: {}, data,
})
const events = (out: ParseOutcome) => {
  expect(out.kind, JSON.stringify(out)).toBe('ok')
  return out.kind === 'ok' ? out.events : []
}
const edit = (text: string, f: (o: any) => void) => {
  const o = JSON.parse(text)
  f(o)
  return JSON.stringify(o)
}

describe('LaunchDarkly audit-log entries', () => {
  it('a default-rule change 10 % → 60 % (weights in thousandths): previousVersion and currentVersion states, epoch-ms date, project and env from the resource', () => {
    const [e] = events(parseEnvelope(envelope('launchdarkly', ld('flag.updateFallthrough.json'))))
    expect(e).toEqual({
      type: 'FlagChanged',
      key: 'launchdarkly:57c0a8e29969090743529966:production',
      routing: 'flag:alternate.page',
      provider: 'launchdarkly',
      project: 'default',
      flag: 'alternate.page',
      service: null,
      environment: 'production',
      state: { on: true, rollout: 60 },
      previous: { on: true, rollout: 10 },
      changedAt: '2016-07-24T02:16:05.348Z',
      actor: 'refapp@launchdarkly.com',
    })
  })

  it('turned off: state off, previous 60 %', () => {
    const [e] = events(parseEnvelope(envelope('launchdarkly', ld('flag.updateOn.json'))))
    expect(e).toMatchObject({ state: { on: false }, previous: { on: true, rollout: 60 }, changedAt: '2016-07-24T03:16:05.348Z' })
  })

  it('a fixed fallthrough variation is all or nothing; 33333 thousandths is 33.333 %; the off variation defaults to the `false` one', () => {
    const single = edit(ld('flag.updateFallthrough.json'), (o) => (o.currentVersion.environments.production.fallthrough = { variation: 0 }))
    expect(events(parseEnvelope(envelope('launchdarkly', single)))[0]).toMatchObject({ state: { on: true, rollout: 100 } })
    const odd = edit(ld('flag.updateFallthrough.json'), (o) => {
      delete o.currentVersion.environments.production.offVariation
      o.currentVersion.environments.production.fallthrough = { rollout: { variations: [{ variation: 0, weight: 33333 }, { variation: 1, weight: 66667 }] } }
    })
    expect(events(parseEnvelope(envelope('launchdarkly', odd)))[0]).toMatchObject({ state: { on: true, rollout: 33.333 } })
  })

  it("LaunchDarkly's own sample (an environment renamed) is not a flag change: dropped; a bad weight is a dead letter naming it", () => {
    expect(parseEnvelope(envelope('launchdarkly', fixture('launchdarkly/environment.updateName.ld-docs.json'))).kind).toBe('drop')
    const bad = edit(ld('flag.updateFallthrough.json'), (o) => (o.currentVersion.environments.production.fallthrough.rollout.variations[0].weight = 100001))
    const out = parseEnvelope(envelope('launchdarkly', bad))
    expect(out).toMatchObject({ kind: 'dlq' })
    expect(out.kind === 'dlq' && out.reason).toContain('currentVersion.environments.production.fallthrough.rollout.variations.0.weight')
  })
})

describe('Unleash events', () => {
  it('enabled / disabled say on or off; strategy add/update say the rollout (a string), with preData as the previous one', () => {
    const enabled = events(parseEnvelope(envelope('unleash', fixture('unleash/feature-environment-enabled.json'))))[0]
    expect(enabled).toEqual({
      type: 'FlagChanged', key: 'unleash:930', routing: 'flag:new-feature', provider: 'unleash', project: 'my-other-project', flag: 'new-feature', service: null,
      environment: 'development', state: { on: true }, previous: { on: false }, changedAt: '2022-06-02T12:09:03.045Z', actor: 'user@company.com',
    })
    expect(events(parseEnvelope(envelope('unleash', fixture('unleash/feature-environment-disabled.json'))))[0]).toMatchObject({ key: 'unleash:931', state: { on: false } })
    expect(events(parseEnvelope(envelope('unleash', fixture('unleash/feature-strategy-update.json'))))[0]).toMatchObject({ key: 'unleash:920', environment: 'default', state: { rollout: 32 }, previous: { rollout: 67 } })
    expect(events(parseEnvelope(envelope('unleash', fixture('unleash/feature-strategy-add.json'))))[0]).toMatchObject({ key: 'unleash:919', state: { rollout: 67 }, previous: null })
  })

  it('other event types are dropped; a rollout of "150" is a dead letter naming data.parameters.rollout', () => {
    expect(parseEnvelope(envelope('unleash', edit(fixture('unleash/feature-environment-enabled.json'), (o) => (o.type = 'feature-created')))).kind).toBe('drop')
    const out = parseEnvelope(envelope('unleash', edit(fixture('unleash/feature-strategy-update.json'), (o) => (o.data.parameters.rollout = '150'))))
    expect(out.kind === 'dlq' && out.reason).toContain('data.parameters.rollout')
  })
})

describe('Flagsmith FLAG_UPDATED', () => {
  it('new_state / previous_state enabled; identity (feature id, environment id, timestamp); project name as the fallback service', () => {
    const [e] = events(parseEnvelope(envelope('flagsmith', fixture('flagsmith/flag_updated.json'))))
    expect(e).toEqual({
      type: 'FlagChanged', key: 'flagsmith:7168:23:2021-06-18T07:50:26.595298Z', routing: 'flag:butter_bar', provider: 'flagsmith', project: 'Flagsmith Website',
      flag: 'butter_bar', service: null, environment: 'Development', state: { on: true, rollout: null }, previous: { on: false, rollout: null },
      changedAt: '2021-06-18T07:50:26.595298Z', actor: 'user@domain.com',
    })
  })

  it('a segment override is not the environment default: dropped', () => {
    const seg = edit(fixture('flagsmith/flag_updated.json'), (o) => (o.data.new_state.feature_segment = { id: 3, segment: 9, priority: 0 }))
    expect(parseEnvelope(envelope('flagsmith', seg)).kind).toBe('drop')
  })
})

describe('Flagger webhooks and event webhooks', () => {
  it('the recorded event: "New revision detected!" starts a rollout at weight 0, at metadata.timestamp (unix ms)', () => {
    const [e] = events(parseEnvelope(envelope('flagger', fixture('flagger/event.progressing.json'))))
    expect(e).toMatchObject({ type: 'RolloutStepReported', routing: 'named:podinfo', origin: 'flagger', rollout: 'podinfo.default', service: 'podinfo', weight: 0, phase: 'progressing', at: '2020-01-09T22:07:15.167Z' })
  })

  it('the recorded gating webhook has no time of its own: the envelope time; no weight', () => {
    const [e] = events(parseEnvelope(envelope('flagger', fixture('flagger/webhook.progressing.json'), '2026-07-01T10:00:00.000Z')))
    expect(e).toMatchObject({ rollout: 'podinfo.test', weight: null, phase: 'progressing', at: '2026-07-01T10:00:00.000Z' })
    expect(e!.key).toBe('flagger:podinfo.test:Progressing:85d557f47b')
  })

  it("the scheduler's messages: weight advances, primary weight during promotion, rollback then failure, promotion completed", () => {
    const base = fixture('flagger/event.progressing.json')
    const read = (message: string, phase = 'Progressing') => events(parseEnvelope(envelope('flagger', edit(base, (o) => ((o.metadata.eventMessage = message), (o.phase = phase))))))[0]!
    expect(read('Advance podinfo.default canary weight 10')).toMatchObject({ weight: 10, phase: 'progressing' })
    expect(read('Advance podinfo.default primary weight 80', 'Promoting')).toMatchObject({ weight: 20, phase: 'progressing' })
    expect(read('Rolling back podinfo.default failed checks threshold reached 5')).toMatchObject({ phase: 'progressing', weight: null })
    expect(read('Canary failed! Scaling down podinfo.default', 'Failed')).toMatchObject({ phase: 'failed', weight: 0 })
    expect(read('Promotion completed! Scaling down podinfo.default', 'Succeeded')).toMatchObject({ phase: 'completed' })
    expect(read('Halt podinfo.default advancement external check load-test failed timeout')).toMatchObject({ phase: 'paused' })
    // A message saying nothing about traffic: the payload's phase decides (Initialized is no rollout step).
    expect(read('Some other note', 'Waiting')).toMatchObject({ phase: 'paused', weight: null })
    expect(parseEnvelope(envelope('flagger', edit(base, (o) => ((o.metadata.eventMessage = 'Initialization done! podinfo.default'), (o.phase = 'Initialized'))))).kind).toBe('drop')
  })
})
