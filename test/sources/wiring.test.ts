import { describe, expect, it } from 'vitest'
import { openApiDocument, ROUTES } from '../../api/openapi.ts'
import { parseConfig } from '../../config/load.ts'
import { configSchema } from '../../config/schema.ts'
import { decodeEnvelope, encodeEnvelope } from '../../log/kafka-codec.ts'
import { REDACT_PATHS } from '../../server/logger.ts'
import { ALL_SOURCES, ENVELOPE_KINDS, rulesByOrigin, unauthenticatedSources } from '../../sources/index.ts'
import { parseEnvelope } from '../../sources/parse.ts'
import { routingOfSubject, routingsOfService } from '../../sources/routing.ts'
import { genericEnvelope } from '../helpers/envelope.ts'

/**
 * A source is its folder plus one line in SOURCES: everything that enumerates
 * sources must pick each one up from the list. This checks it for every source
 * there is, so a new one (gitlab, incidentio, …) is checked without a test edit.
 */
describe.each(ALL_SOURCES.map((s) => [s.name, s] as const))('source %s is wired from SOURCES', (name, source) => {
  const doc = openApiDocument({ config: parseConfig({}) }) as { paths: Record<string, Record<string, unknown>>; components: { securitySchemes: Record<string, unknown> } }

  it('its routes are in the OpenAPI document and the 405 table', () => {
    for (const r of source.routes ?? []) {
      expect(doc.paths[r.path]?.[r.method], r.path).toBeDefined()
      expect(ROUTES.get(r.path)).toContain(r.method.toUpperCase())
    }
    for (const scheme of Object.keys(source.securitySchemes ?? {})) expect(doc.components.securitySchemes[scheme]).toBeDefined()
  })

  it('its secret headers are redacted from the logs', () => {
    for (const h of source.secretHeaders ?? []) {
      expect(REDACT_PATHS).toContain(`req.headers["${h}"]`)
      expect(REDACT_PATHS).toContain(`headers["${h}"]`)
    }
  })

  it('its configuration slice is parsed under its name, and an empty config warns when it takes secrets', () => {
    const parsed = configSchema.parse({}) as Record<string, unknown>
    if (source.config) expect(parsed[name]).toBeDefined()
    if (source.unauthenticated) expect(unauthenticatedSources(parsed).length).toBeGreaterThan(0)
  })

  it('its envelope kinds round-trip through the Kafka codec, dispatch to its parser and route by subject', () => {
    for (const kind of Object.keys(source.parsers)) {
      expect(ENVELOPE_KINDS).toContain(kind)
      const env = { ...genericEnvelope({}), doraflowsource: kind } as ReturnType<typeof genericEnvelope>
      const m = encodeEnvelope(env, 'k')
      expect(decodeEnvelope({ key: Buffer.from(m.key), value: m.value, headers: m.headers })).toEqual(env)
      // Its own parser answers (a value, never a throw), not the unknown-kind dead letter.
      const out = parseEnvelope(env)
      expect(out.kind === 'dlq' ? out.code : out.kind).not.toBe('unknown_source')
      expect(routingOfSubject(kind, 'subject-x')).toBe(source.routing.ofSubject('subject-x'))
    }
  })

  it("a configured service's routings include what this source claims for it", () => {
    const cfg = configSchema.parse({ services: [{ name: 'svc' }] })
    const service = cfg.services[0]!
    for (const r of source.routing.ofService(service as never)) expect(routingsOfService(service)).toContain(r)
  })
})

describe('the list', () => {
  it('names and kinds are unique (a kind is stored in the log for ever)', () => {
    const names = ALL_SOURCES.map((s) => s.name)
    expect(new Set(names).size).toBe(names.length)
    expect(new Set(ENVELOPE_KINDS).size).toBe(ENVELOPE_KINDS.length)
  })
})

describe('projection rules per origin', () => {
  it("a source's own rules, else the defaults (github.productionEnvironments / incidentLabels)", () => {
    const rules = rulesByOrigin(configSchema.parse({ github: { productionEnvironments: ['PRD'], incidentLabels: ['Sev1'] } }))
    for (const origin of ['github', 'generic', 'cdevents', 'pagerduty', 'some-future-kind']) {
      expect([...rules(origin).productionEnvironments]).toEqual(['prd'])
      expect([...rules(origin).incidentLabels]).toEqual(['sev1'])
    }
  })
})
