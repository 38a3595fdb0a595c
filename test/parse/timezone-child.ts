/**
 * Run by timezone.test.ts under a non-UTC TZ: what the code makes of times
 * that name no zone, printed as JSON on stdout.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseConfig } from '../../config/load.ts'
import { project } from '../../processors/project/index.ts'
import { factRow } from '../../processors/facts.ts'
import { ms as recordsMs } from '../../queries/records.ts'
import { parseEnvelope } from '../../sources/parse.ts'
import { githubEnvelope, pagerdutyEnvelope } from '../helpers/envelope.ts'

const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures/webhooks')
const json = (rel: string) => JSON.parse(readFileSync(path.join(FIXTURES, rel), 'utf8'))

const ds = json('github/deployment_status.created.json')
ds.deployment_status.created_at = '2026-07-01T10:00:00' // no zone
ds.deployment_status.environment = 'production'
const pd = json('pagerduty/incident.triggered.json')
pd.event.occurred_at = '2026-07-01 11:30:00' // no zone, space-separated
pd.event.data.service.id = 'PCHECK'

const events = [parseEnvelope(githubEnvelope('deployment_status', ds)), parseEnvelope(pagerdutyEnvelope(pd))].flatMap((o) => (o.kind === 'ok' ? o.events : []))
const config = parseConfig({ services: [{ name: 'checkout', repositories: [ds.repository.full_name], pagerdutyServices: ['PCHECK'] }] })
const p = project(events, config)
process.stdout.write(
  JSON.stringify({
    tz: process.env.TZ,
    hostOffsetMinutes: new Date(2026, 6, 1).getTimezoneOffset(),
    parsed: events.length,
    deployedAt: p.deployments[0]?.deployedAt ?? null,
    incidentStartedAt: p.incidents[0]?.startedAt ?? null,
    factAt: events[0] ? factRow(events[0], 'e', 1).at : null,
    queryFrom: recordsMs('2026-07-01T10:00:00', 0),
  }),
)
