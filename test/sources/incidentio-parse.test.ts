import { describe, expect, it } from 'vitest'
import { parseEnvelope } from '../../sources/parse.ts'
import { statusTransition, UNMAPPED_SERVICE } from '../../sources/incidentio/parse.ts'
import { expectDlq, single } from '../parse/fixtures.ts'
import { localFixture, sourceEnvelope } from './helpers.ts'

const iio = (data: string | object, id = 'msg_1') => parseEnvelope(sourceEnvelope('incidentio', data, id))
const CREATED = 'public_incident.incident_created_v2'
const UPDATED = 'public_incident.incident_updated_v2'
const STATUS = 'public_incident.incident_status_updated_v2'
const docs = (event: string): Record<string, any> => JSON.parse(localFixture(`incidentio/${event}.json`))

/** The docs' example with a catalog "Affected services" field naming `service`. */
function withService(event: string, service: string): Record<string, any> {
  const body = docs(event)
  const incident = event === STATUS ? body[event]['incident'] : body[event]
  incident['custom_field_entries'].push({
    custom_field: { id: '01SERVICEFIELD', name: 'Affected services', field_type: 'multi_select', description: 'Which services are affected', options: [] },
    values: [{ value_catalog_entry: { id: '01ENTRY', name: service, aliases: [], external_id: null } }],
  })
  return body
}

describe('the documented examples (api-docs.incident.io, Webhooks)', () => {
  it('incident_created_v2: triggered at created_at, severity as priority, INC-123 as number; no service field: the unmapped service', () => {
    expect(single(iio(docs(CREATED)), 'IncidentTransitioned')).toEqual({
      type: 'IncidentTransitioned',
      key: 'incident:incidentio:01FDAG4SAP5TYPT98WGR2N7W91:triggered:2021-08-17T13:28:57.801578Z',
      routing: `incidentio:${UNMAPPED_SERVICE}`,
      origin: 'incidentio',
      incidentId: '01FDAG4SAP5TYPT98WGR2N7W91',
      serviceRef: UNMAPPED_SERVICE,
      serviceName: UNMAPPED_SERVICE,
      team: null,
      transition: 'triggered',
      at: '2021-08-17T13:28:57.801578Z',
      createdAt: '2021-08-17T13:28:57.801578Z',
      title: 'Our database is sad',
      text: "Our database is really really sad, and we don't know why yet.",
      urgency: undefined,
      priority: 'Minor',
      links: [],
      number: 123,
      url: 'https://app.incident.io/incidents/123',
      agent: null,
    })
  })
  it('incident_updated_v2: a snapshot, updated at updated_at', () => {
    const e = single(iio(docs(UPDATED)), 'IncidentTransitioned')
    expect([e.transition, e.at]).toEqual(['updated', '2021-08-17T13:28:57.801578Z'])
  })
  it('incident_status_updated_v2 (example: triage → triage): no state change, updated', () => {
    expect(single(iio(docs(STATUS)), 'IncidentTransitioned').transition).toBe('updated')
  })
  it('private incidents (id only) are dropped', () => {
    expect(iio(localFixture('incidentio/private_incident.incident_created_v2.json'))).toMatchObject({ kind: 'drop', code: 'not_used_by_metrics', reason: expect.stringMatching(/private incidents carry only an id/) })
  })
})

describe('status categories onto §4', () => {
  it.each([
    ['triage', 'live', 'acknowledged'],
    ['live', 'learning', 'resolved'],
    ['live', 'closed', 'resolved'],
    ['triage', 'declined', 'resolved'],
    ['live', 'canceled', 'resolved'],
    ['learning', 'closed', null],
    ['closed', 'live', 'reopened'],
    ['learning', 'triage', 'reopened'],
    ['live', 'paused', null],
    ['paused', 'live', 'acknowledged'],
  ] as const)('%s → %s: %s', (prev, next, want) => {
    expect(statusTransition(prev, next)).toBe(want)
  })
  it('a status change carried in a webhook: at the incident updated_at', () => {
    const body = withService(STATUS, 'checkout')
    body[STATUS]['previous_status']['category'] = 'live'
    body[STATUS]['new_status']['category'] = 'learning'
    body[STATUS]['incident']['updated_at'] = '2026-07-01T13:00:00.5Z'
    const e = single(iio(body), 'IncidentTransitioned')
    expect([e.transition, e.at, e.serviceName, e.routing]).toEqual(['resolved', '2026-07-01T13:00:00.5Z', 'checkout', 'incidentio:checkout'])
  })
  it('declared straight into a live status: triggered and acknowledged at created_at', () => {
    const body = docs(CREATED)
    body[CREATED]['incident_status']['category'] = 'live'
    const out = iio(body)
    expect(out.kind === 'ok' && out.events.map((e) => e.type === 'IncidentTransitioned' && [e.transition, e.at])).toEqual([
      ['triggered', '2021-08-17T13:28:57.801578Z'],
      ['acknowledged', '2021-08-17T13:28:57.801578Z'],
    ])
  })
  it('an undocumented category is a dead letter naming it', () => {
    const body = docs(STATUS)
    body[STATUS]['new_status']['category'] = 'exploded'
    expectDlq(iio(body), 'new_status.category')
  })
})

describe('service and mode', () => {
  it('the "Affected services" catalog field names the service; an option or text field works too', () => {
    expect(single(iio(withService(CREATED, 'Checkout')), 'IncidentTransitioned')).toMatchObject({ serviceName: 'Checkout', serviceRef: 'checkout', routing: 'incidentio:checkout' })
    const body = docs(CREATED)
    body[CREATED]['custom_field_entries'] = [{ custom_field: { id: 'f', name: 'Service', field_type: 'single_select' }, values: [{ value_option: { id: 'o', value: 'payments-api' } }] }]
    expect(single(iio(body), 'IncidentTransitioned').serviceName).toBe('payments-api')
  })
  it('test and tutorial incidents are not incidents', () => {
    const body = docs(CREATED)
    body[CREATED]['mode'] = 'test'
    expect(iio(body)).toMatchObject({ kind: 'drop', code: 'not_used_by_metrics', reason: expect.stringMatching(/is a test incident/) })
  })
  it('a payload key that is not the event_type, a bad created_at: dead letters naming them', () => {
    expectDlq(iio({ event_type: CREATED, other: {} }), CREATED)
    const body = docs(CREATED)
    body[CREATED]['created_at'] = 'yesterday'
    expectDlq(iio(body), 'created_at')
  })
})
