import { describe, expect, it } from 'vitest'
import { parseEnvelope } from '../../sources/parse.ts'
import { pagerdutyEnvelope } from '../helpers/envelope.ts'
import { expectDlq, fixture, single } from './fixtures.ts'

const pd = (file: string) => parseEnvelope(pagerdutyEnvelope(fixture(`pagerduty/${file}`)))
const json = (file: string): Record<string, any> => JSON.parse(fixture(`pagerduty/${file}`))
const incident = (file: string) => single(pd(file), 'IncidentTransitioned')

describe('pagerduty fixtures', () => {
  it('incident.triggered.json (2021 shape: no created_at)', () => {
    expect(incident('incident.triggered.json')).toEqual({
      type: 'IncidentTransitioned',
      key: 'incident:pagerduty:PFQZPSY:triggered:2021-06-04T13:35:29.781Z',
      routing: 'pagerduty:PA2P440',
      origin: 'pagerduty',
      incidentId: 'PFQZPSY',
      serviceRef: 'PA2P440',
      serviceName: 'pig208',
      team: null,
      transition: 'triggered',
      at: '2021-06-04T13:35:29.781Z',
      createdAt: null,
      title: 'Test Incident 3',
      text: null,
      urgency: 'high',
      priority: null,
      links: [],
      number: 9,
      url: 'https://pig208.pagerduty.com/incidents/PFQZPSY',
      agent: 'PIG 208',
    })
  })

  it.each([
    ['incident.acknowledged.json', 'incident:pagerduty:PQ1K5C8:acknowledged:2021-06-04T13:55:30.394Z', 'acknowledged', 'PQ1K5C8', '2021-06-04T13:55:30.394Z', 10],
    ['incident.unacknowledged.json', 'incident:pagerduty:PQ1K5C8:unacknowledged:2021-06-04T13:54:23.185Z', 'unacknowledged', 'PQ1K5C8', '2021-06-04T13:54:23.185Z', 10],
    ['incident.resolved.json', 'incident:pagerduty:PCPZE64:resolved:2021-06-04T13:16:53.816Z', 'resolved', 'PCPZE64', '2021-06-04T13:16:53.816Z', 6],
  ])('%s', (file, key, transition, incidentId, at, number) => {
    expect(incident(file)).toMatchObject({
      key, transition, incidentId, at, number,
      routing: 'pagerduty:PA2P440', serviceRef: 'PA2P440', serviceName: 'pig208',
      title: 'Test Incident', createdAt: null, urgency: 'high', priority: null, agent: 'PIG 208',
      url: `https://pig208.pagerduty.com/incidents/${incidentId}`,
    })
  })

  it('incident.reopened.json (2026 shape: created_at, priority P3, urgency low)', () => {
    expect(incident('incident.reopened.json')).toMatchObject({
      key: 'incident:pagerduty:Q05XJA8GDXGOB3:reopened:2026-04-01T02:15:02.274Z',
      routing: 'pagerduty:PLVTM9H',
      incidentId: 'Q05XJA8GDXGOB3',
      serviceRef: 'PLVTM9H',
      serviceName: 'Default Service',
      transition: 'reopened',
      at: '2026-04-01T02:15:02.274Z',
      createdAt: '2026-03-30T13:37:07Z',
      title: 'Test Incident 2',
      urgency: 'low',
      priority: 'P3',
      number: 4,
      url: 'https://harsh0303.pagerduty.com/incidents/Q05XJA8GDXGOB3',
      agent: 'Harsh Santwani',
    })
  })

  it('incident.priority_updated.json → P2', () => {
    expect(incident('incident.priority_updated.json')).toMatchObject({
      key: 'incident:pagerduty:Q3B15VLMF3ASBD:priority_updated:2026-04-01T02:15:36.315Z',
      incidentId: 'Q3B15VLMF3ASBD',
      transition: 'priority_updated',
      at: '2026-04-01T02:15:36.315Z',
      createdAt: '2026-04-01T02:07:30Z',
      title: 'Critical: Checkout API High Latency',
      priority: 'P2',
      urgency: 'high',
      number: 5,
    })
  })

  it('incident.escalated.json → P1', () => {
    expect(incident('incident.escalated.json')).toMatchObject({
      key: 'incident:pagerduty:Q3B15VLMF3ASBD:escalated:2026-04-01T02:08:04.642Z',
      incidentId: 'Q3B15VLMF3ASBD',
      transition: 'escalated',
      at: '2026-04-01T02:08:04.642Z',
      createdAt: '2026-04-01T02:07:30Z',
      priority: 'P1',
    })
  })

  it("incident.priority_updated.pagerduty-docs.json (PagerDuty's own sample)", () => {
    expect(incident('incident.priority_updated.pagerduty-docs.json')).toMatchObject({
      key: 'incident:pagerduty:PGR0VU2:priority_updated:2020-10-02T18:45:22.169Z',
      routing: 'pagerduty:PF9KMXH',
      incidentId: 'PGR0VU2',
      serviceName: 'API Service',
      transition: 'priority_updated',
      at: '2020-10-02T18:45:22.169Z',
      createdAt: '2020-04-09T15:16:27Z',
      title: 'A little bump in the road',
      priority: 'P1',
      urgency: 'high',
      number: 2,
      url: 'https://acme.pagerduty.com/incidents/PGR0VU2',
      agent: 'Tenex Engineer',
    })
  })

  it('incident.annotated.json: a note naming no service is dropped with a reason', () => {
    const out = pd('incident.annotated.json')
    expect(out.kind).toBe('drop')
    if (out.kind === 'drop') expect(out.reason).toMatch(/incident\.annotated.*Q3B15VLMF3ASBD.*service/)
  })

  it('incident.annotated with a service: an annotated transition carrying the note', () => {
    const p = json('incident.annotated.json')
    p.event.data.incident.service = { id: 'PLVTM9H', summary: 'Default Service' }
    expect(single(parseEnvelope(pagerdutyEnvelope(p)), 'IncidentTransitioned')).toMatchObject({
      key: 'incident:pagerduty:Q3B15VLMF3ASBD:annotated:2026-04-01T02:18:59.674Z',
      routing: 'pagerduty:PLVTM9H',
      incidentId: 'Q3B15VLMF3ASBD',
      transition: 'annotated',
      at: '2026-04-01T02:18:59.674Z',
      title: 'Critical: Checkout API High Latency',
      text: 'Running KILL on long-running queries from the reporting-service.',
      urgency: undefined,
      priority: undefined,
      url: 'https://harsh0303.pagerduty.com/incidents/Q3B15VLMF3ASBD',
    })
  })
})

describe('pagerduty shapes', () => {
  const variant = (edit: (p: Record<string, any>) => void) => {
    const p = json('incident.triggered.json')
    edit(p)
    return parseEnvelope(pagerdutyEnvelope(p))
  }

  it('other incident.* events stay on the timeline as updated', () => {
    for (const t of ['incident.responder.added', 'incident.status_update_published', 'incident.workflow.started', 'incident.custom_field_values.updated']) {
      expect(single(variant((p) => (p.event.event_type = t)), 'IncidentTransitioned').transition).toBe('updated')
    }
  })

  it('service.* events are dropped', () => {
    const out = variant((p) => {
      p.event.event_type = 'service.updated'
      p.event.resource_type = 'service'
    })
    expect(out.kind).toBe('drop')
  })

  it('urgency/priority absent → undefined (not carried); description → text; body.details as fallback', () => {
    const e = single(variant((p) => {
      delete p.event.data.urgency
      delete p.event.data.priority
      p.event.data.description = 'deploy abc1234 broke it'
    }), 'IncidentTransitioned')
    expect(e.urgency).toBeUndefined()
    expect(e.priority).toBeUndefined()
    expect(e.text).toBe('deploy abc1234 broke it')
    expect(single(variant((p) => (p.event.data.body = { details: 'from details' })), 'IncidentTransitioned').text).toBe('from details')
  })

  it('agent null (automation) → null', () => {
    expect(single(variant((p) => (p.event.agent = null)), 'IncidentTransitioned').agent).toBeNull()
  })

  it('deterministic', () => {
    const env = pagerdutyEnvelope(fixture('pagerduty/incident.reopened.json'))
    expect(parseEnvelope(env)).toEqual(parseEnvelope(env))
  })

  it.each<[string, (p: Record<string, any>) => void, string]>([
    ['no event', (p) => delete p.event, 'event'],
    ['no service', (p) => delete p.event.data.service, 'event.data.service.id'],
    ['no incident id', (p) => delete p.event.data.id, 'event.data.id'],
    ['bad occurred_at', (p) => (p.event.occurred_at = '2021-13-45'), 'event.occurred_at'],
    ['bad created_at', (p) => (p.event.data.created_at = 'x'), 'event.data.created_at'],
    ['priority without summary', (p) => (p.event.data.priority = { id: 'P1' }), 'event.data.priority.summary'],
    ['number a string', (p) => (p.event.data.number = '9'), 'event.data.number'],
    ['event id a number', (p) => (p.event.id = 7), 'event.id'],
  ])('malformed: %s → dlq', (_, edit, field) => {
    expectDlq(variant(edit), field)
  })

  it('invalid JSON → dlq', () => {
    expectDlq(parseEnvelope(pagerdutyEnvelope('{"event":')), 'not valid JSON')
  })
})
