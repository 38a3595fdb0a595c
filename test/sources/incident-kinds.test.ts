import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../config/load.ts'
import type { DomainEvent } from '../../contracts/events.ts'
import { project } from '../../processors/project/index.ts'
import { parseEnvelope } from '../../sources/parse.ts'
import { fixture } from '../parse/fixtures.ts'
import { sourceEnvelope } from './helpers.ts'

const events = (kind: 'gitlab' | 'jira', bodies: object[]): DomainEvent[] =>
  bodies.flatMap((b, i) => {
    const out = parseEnvelope(sourceEnvelope(kind, b, `d-${i}`))
    if (out.kind !== 'ok') throw new Error(JSON.stringify(out))
    return out.events
  })
const incidents = (evs: DomainEvent[], cfg: object = {}) => project(evs, parseConfig(cfg)).incidents.map((i) => [i.id, i.service, i.status, i.reopenCount])

/** The recorded GitLab incident, turned into a plain issue with `labels` (on the close). */
function gitlabIssue(file: string, labels: string[]): Record<string, any> {
  const p = JSON.parse(fixture(`gitlab/${file}`))
  p['object_attributes']['type'] = 'Issue'
  p['labels'] = labels.map((title) => ({ title }))
  return p
}
function jiraIssue(type: string, labels: string[], category: string, from?: string): Record<string, any> {
  const p = JSON.parse(fixture('jira/issue_updated.status.json'))
  p['issue']['fields']['issuetype']['name'] = type
  p['issue']['fields']['labels'] = labels
  p['issue']['fields']['status']['statusCategory']['key'] = category
  p['changelog']['items'] = [{ field: 'status', fromString: from ?? 'To Do', toString: 'x' }]
  return p
}

describe('which GitLab and Jira issues are incidents (the configuration, over all of an issue\'s events)', () => {
  it('GitLab: the recorded incident (type Incident) is one, in the project\'s implied service, resolved by its close', () => {
    const evs = events('gitlab', [JSON.parse(fixture('gitlab/issue.incident.opened.json')), JSON.parse(fixture('gitlab/issue.incident.closed.json'))])
    expect(incidents(evs)).toEqual([['gitlab:sathwikshetty33-group/mvc#6', 'sathwikshetty33-group/mVc', 'resolved', 0]])
  })
  it('GitLab: a plain issue labelled incident only on its close still counts from its opening; gitlab.incidentLabels decides', () => {
    const evs = events('gitlab', [gitlabIssue('issue.incident.opened.json', ['bug']), gitlabIssue('issue.incident.closed.json', ['bug', 'Incident'])])
    expect(incidents(evs)).toEqual([['gitlab:sathwikshetty33-group/mvc#6', 'sathwikshetty33-group/mVc', 'resolved', 0]])
    expect(incidents(evs, { gitlab: { incidentLabels: ['outage'] } })).toEqual([])
    expect(incidents(evs, { gitlab: { incidentLabels: ['BUG'] } })).toHaveLength(1)
  })
  it('Jira: type Incident by default; a Task only with a configured label; jira.issueTypes replaces the default', () => {
    const incident = events('jira', [jiraIssue('Incident', [], 'done', 'In Progress')])
    const task = events('jira', [jiraIssue('Task', ['sev1'], 'done', 'In Progress')])
    expect(incidents(incident, { services: [{ name: 'ops', jiraProjects: ['ABC'] }] })).toEqual([['jira:10000', 'ops', 'resolved', 0]])
    expect(incidents(task)).toEqual([])
    expect(incidents(task, { jira: { incidentLabels: ['SEV1'] } })).toEqual([['jira:10000', 'Fix That', 'resolved', 0]])
    expect(incidents(incident, { jira: { issueTypes: ['Outage'] } })).toEqual([])
  })
  it('Jira: resolved, then reopened out of Done: open again, one reopen', () => {
    const evs = events('jira', [jiraIssue('Incident', [], 'done', 'In Progress'), { ...jiraIssue('Incident', [], 'indeterminate', 'Done'), timestamp: 1485797534721 + 60_000 }])
    expect(incidents(evs)).toEqual([['jira:10000', 'Fix That', 'open', 1]])
  })
})
