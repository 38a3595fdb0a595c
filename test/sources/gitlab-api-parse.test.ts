/**
 * `gitlab-api` records against the recorded Deployment Hooks: the REST API's
 * view of the same deployment (GitLab's documented deployment shape with the
 * fixture's values) gives the very event the hook gives.
 */
import { describe, expect, it } from 'vitest'
import { parseEnvelope } from '../../sources/parse.ts'
import { expectDlq, fixture } from '../parse/fixtures.ts'
import { sourceEnvelope } from './helpers.ts'

const hook = (name: string) => parseEnvelope(sourceEnvelope('gitlab', fixture(`gitlab/${name}`)))
const api = (record: object) => parseEnvelope(sourceEnvelope('gitlab-api', record))
const project = { path_with_namespace: 'vedant8600317/test', default_branch: 'master' }

/** GET /projects/:id/deployments, one item, as documented, with deployment.failed.json's values. */
const failed = {
  id: 988604916,
  iid: 7,
  ref: 'master',
  sha: '846d8de0b7b3d694954249d2fd5d87fbe8c84e4c',
  created_at: '2025-05-02T12:29:40.118Z',
  updated_at: '2025-05-02T12:30:19.533Z',
  finished_at: '2025-05-02T12:30:19.533Z',
  status: 'failed',
  environment: { id: 9, name: 'production', external_url: null, tier: 'production' },
  deployable: { id: 9905759933, status: 'failed', web_url: 'https://gitlab.com/vedant8600317/test/-/jobs/9905759933' },
}

describe('gitlab-api records', () => {
  it('a deployment from the API is the event its Deployment Hook gives (key, time to the second, full sha)', () => {
    const fromHook = hook('deployment.failed.json')
    const fromApi = api({ resource: 'deployment', project, record: failed })
    expect(fromHook.kind).toBe('ok')
    expect(fromApi).toEqual(fromHook)
  })

  it('a running deployment says nothing; an unknown resource is a dead letter', () => {
    expect(api({ resource: 'deployment', project, record: { ...failed, status: 'running', finished_at: null } }).kind).toBe('drop')
    expectDlq(api({ resource: 'pipeline', project, record: {} }), 'unknown resource')
  })

  it('an incident issue: opened at created_at, resolved at closed_at while closed, marked imported', () => {
    const issue = { iid: 6, title: 'Testing', description: 'x', state: 'closed', created_at: '2025-05-02T11:00:00.250Z', closed_at: '2025-05-02T11:45:10.900Z', labels: [], issue_type: 'incident', type: 'INCIDENT', severity: 'UNKNOWN', author: { name: 'A' }, closed_by: { name: 'B' }, web_url: 'https://gitlab.com/x/-/issues/6' }
    const out = api({ resource: 'issue', project, record: issue })
    expect(out.kind === 'ok' && out.events.map((e) => [e.key, 'imported' in e && e.imported])).toEqual([
      ['incident:gitlab:vedant8600317/test#6:triggered:2025-05-02T11:00:00.000Z', true],
      ['incident:gitlab:vedant8600317/test#6:resolved:2025-05-02T11:45:10.000Z', true],
    ])
    // Open now: whatever closes came before were undone by a reopen.
    const open = api({ resource: 'issue', project, record: { ...issue, state: 'opened' } })
    expect(open.kind === 'ok' && open.events.map((e) => e.key)).toEqual(['incident:gitlab:vedant8600317/test#6:triggered:2025-05-02T11:00:00.000Z'])
    expect(api({ resource: 'issue', project, record: { ...issue, issue_type: 'issue', type: 'ISSUE' } }).kind).toBe('drop')
  })
})
