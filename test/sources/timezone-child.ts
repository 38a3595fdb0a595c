/**
 * Run by timezone.test.ts under a non-UTC TZ: what the GitLab and Jira parsers make of
 * their own time formats and of times that name no zone, printed as JSON on stdout.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { DomainEvent } from '../../contracts/events.ts'
import { parseEnvelope } from '../../sources/parse.ts'
import { sourceEnvelope } from './helpers.ts'

const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures/webhooks')
const json = (rel: string) => JSON.parse(readFileSync(path.join(FIXTURES, rel), 'utf8'))
const first = (kind: 'gitlab' | 'jira', body: object): DomainEvent => {
  const out = parseEnvelope(sourceEnvelope(kind, body))
  if (out.kind !== 'ok') throw new Error(JSON.stringify(out))
  return out.events[0]!
}
const field = (e: DomainEvent, k: string) => (e as unknown as Record<string, unknown>)[k]

const deployment = json('gitlab/deployment.success.json') // status_changed_at "2025-05-02 11:55:16 +0000"
const mr = json('gitlab/merge_request.merged.json') // "2017-12-10 17:01:11 UTC"
const zoneless = { ...deployment, status_changed_at: '2025-05-02 11:55:16' }
const jira = json('jira/issue_updated.status.json') // created "2017-01-30T18:30:41.962+0100"
const jiraZoneless = structuredClone(jira)
jiraZoneless.issue.fields.created = '2017-01-30T18:30:41.962'

process.stdout.write(
  JSON.stringify({
    tz: process.env.TZ,
    hostOffsetMinutes: new Date(2026, 6, 1).getTimezoneOffset(),
    gitlabDeployment: field(first('gitlab', deployment), 'at'),
    gitlabZoneless: field(first('gitlab', zoneless), 'at'),
    gitlabMergeCreated: field(first('gitlab', mr), 'createdAt'),
    jiraCreated: field(first('jira', jira), 'createdAt'),
    jiraZoneless: field(first('jira', jiraZoneless), 'createdAt'),
  }),
)
