import { describe, expect, it } from 'vitest'
import { parseEnvelope } from '../../sources/parse.ts'
import { expectDlq, fixture, fixtureFiles, single } from '../parse/fixtures.ts'
import { sourceEnvelope } from './helpers.ts'

const gl = (data: string | object, id = 'd-1') => parseEnvelope(sourceEnvelope('gitlab', data, id))
const file = (name: string) => fixture(`gitlab/${name}`)
const json = (name: string): Record<string, any> => JSON.parse(file(name))

describe('every recorded GitLab payload parses without a dead letter', () => {
  for (const f of fixtureFiles('gitlab')) {
    it(f, () => expect(gl(file(f)).kind).not.toBe('dlq'))
  }
})

describe('Push Hook', () => {
  it('push to the default branch (GitLab docs example): before/after, both commits with their zoned times, authors and files (§16)', () => {
    expect(single(gl(file('push.default-branch.gitlab-docs.json')), 'CommitsPushed')).toEqual({
      type: 'CommitsPushed',
      key: 'push:gitlab:mike/diaspora:95790bf891e76fee5e1747ab589903a6a1f80f22:da1560886d4f094c3e6c9ef40349f7d38b5d27d7:refs/heads/master',
      routing: 'gitlab:mike/diaspora',
      origin: 'gitlab',
      repo: 'mike/diaspora',
      ref: 'refs/heads/master',
      defaultBranch: 'master',
      before: '95790bf891e76fee5e1747ab589903a6a1f80f22',
      after: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      deleted: false,
      forced: false,
      pushedAt: '2012-01-03T23:36:29+02:00',
      commits: [
        { id: 'b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327', timestamp: '2011-12-12T14:27:31+02:00', message: 'Update Catalan translation to e38cb41.\n\nSee https://gitlab.com/gitlab-org/gitlab for more information', url: 'http://example.com/mike/diaspora/commit/b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327', author: 'Jordi Mallach', authorEmail: 'jordi@softcatala.org', authorLogin: null, files: ['CHANGELOG', 'app/controller/application.rb'] },
        { id: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7', timestamp: '2012-01-03T23:36:29+02:00', message: 'fixed readme', url: 'http://example.com/mike/diaspora/commit/da1560886d4f094c3e6c9ef40349f7d38b5d27d7', author: 'GitLab dev user', authorEmail: 'gitlabdev@dv6700.(none)', authorLogin: null, files: ['CHANGELOG', 'app/controller/application.rb'] },
      ],
      // The docs example says 4 commits and sends 2: a cut list, which an import fills.
      truncated: true,
    })
  })
  it('total_commits_count above the commits sent (the 20-commit cap): only what was sent', () => {
    const p = json('push.default-branch.gitlab-docs.json')
    expect(p['total_commits_count']).toBe(4)
    expect(single(gl(p), 'CommitsPushed').commits).toHaveLength(2)
    expect(single(gl({ ...p, total_commits_count: 2 }), 'CommitsPushed').truncated).toBeUndefined()
  })
  it('a feature-branch push keeps its ref (the projection ignores it), a branch deletion is deleted', () => {
    const e = single(gl(file('push.feature-branch.json')), 'CommitsPushed')
    expect([e.ref, e.defaultBranch, e.repo]).toEqual(['refs/heads/tomek', 'master', 'tomaszkolek0/my-awesome-project'])
    const del = { ...json('push.feature-branch.json'), after: '0000000000000000000000000000000000000000', commits: [] }
    expect(single(gl(del), 'CommitsPushed').deleted).toBe(true)
  })
  it('a commit without a timestamp, a push without its project: dead letters naming them, with their codes', () => {
    const p = json('push.feature-branch.json')
    delete p['commits'][1]['timestamp']
    expectDlq(gl(p), 'commits.1.timestamp')
    const { project: _, ...noProject } = json('push.feature-branch.json')
    expect(gl(noProject)).toMatchObject({ kind: 'dlq', code: 'missing_repository' })
    expect(gl('[1]')).toMatchObject({ kind: 'dlq', code: 'bad_json' })
  })
})

describe('Tag Push and Pipeline Hooks: stored, not counted', () => {
  it('tag_push.json and pipeline.json are dropped with their reason code', () => {
    expect(gl(file('tag_push.json'))).toMatchObject({ kind: 'drop', code: 'not_used_by_metrics', reason: expect.stringMatching(/tag push/) })
    expect(gl(file('pipeline.json'))).toMatchObject({ kind: 'drop', code: 'not_used_by_metrics', reason: expect.stringMatching(/pipeline/) })
  })
  it('feature flag hooks are not this parser\'s business', () => {
    expect(gl(file('feature_flag.activated.json'))).toMatchObject({ kind: 'drop', code: 'not_used_by_metrics', reason: expect.stringMatching(/feature_flag/) })
  })
})

describe('Merge Request Hook', () => {
  it('merged (action merge): the merge commit, created_at and updated_at in GitLab\'s "UTC" format', () => {
    expect(single(gl(file('merge_request.merged.json')), 'ChangeMerged')).toEqual({
      type: 'ChangeMerged',
      key: 'change:gitlab:gitlab-org/hello-world!1',
      routing: 'gitlab:gitlab-org/hello-world',
      origin: 'gitlab',
      repo: 'gitlab-org/hello-world',
      number: 1,
      title: 'update readme',
      url: 'https://gitlab.com/gitlab-org/hello-world/merge_requests/1',
      createdAt: '2017-12-10T17:01:11.000Z',
      mergedAt: '2017-12-10T17:08:07.000Z',
      mergeCommitSha: '78a76ee6b4992a6baf64c59fc4c44c7323d60438',
    })
  })
  it('without a merge commit: the squash commit, else the last commit (fast-forward)', () => {
    const p = json('merge_request.merged.json')
    p['object_attributes']['merge_commit_sha'] = null
    p['object_attributes']['squash_commit_sha'] = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
    expect(single(gl(p), 'ChangeMerged').mergeCommitSha).toBe('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')
    p['object_attributes']['squash_commit_sha'] = null
    expect(single(gl(p), 'ChangeMerged').mergeCommitSha).toBe('c4c79227ed610f1151f05bbc5be33b4f340d39c8')
  })
  it('opened: not a merge; a later update of a merged MR is not the merge either (its updated_at is not the merge time)', () => {
    expect(gl(file('merge_request.opened.json'))).toMatchObject({ kind: 'drop', code: 'not_a_merge' })
    const later = json('merge_request.merged.json')
    later['object_attributes']['action'] = 'update'
    later['object_attributes']['updated_at'] = '2017-12-11 09:00:00 UTC'
    expect(gl(later)).toMatchObject({ kind: 'drop', code: 'not_a_merge' })
  })
})

describe('Deployment Hook', () => {
  it('success: the full sha from commit_url, status_changed_at "2025-05-02 11:55:16 +0000" as an ISO instant, tier production', () => {
    expect(single(gl(file('deployment.success.json')), 'DeploymentReported')).toEqual({
      type: 'DeploymentReported',
      key: 'deployment:gitlab:vedant8600317/test#988572802:success@2025-05-02T11:55:16.000Z',
      routing: 'gitlab:vedant8600317/test',
      origin: 'gitlab',
      deploymentId: 'vedant8600317/test#988572802',
      reportId: 'success@2025-05-02T11:55:16.000Z',
      serviceName: 'vedant8600317/test',
      team: null,
      repo: 'vedant8600317/test',
      environment: 'production',
      productionEnvironment: true,
      sha: '58793660b22d6ceacbdc23b28a0562bca339702c',
      artifact: null,
      at: '2025-05-02T11:55:16.000Z',
      status: 'success',
      rollback: false,
      url: 'https://gitlab.com/vedant8600317/test/-/jobs/9905389091',
    })
  })
  it('failed: a failed attempt (state failure) at its own time, its own sha', () => {
    const e = single(gl(file('deployment.failed.json')), 'DeploymentReported')
    expect([e.status, e.deploymentId, e.sha, e.at]).toEqual(['failure', 'vedant8600317/test#988604916', '846d8de0b7b3d694954249d2fd5d87fbe8c84e4c', '2025-05-02T12:30:19.000Z'])
  })
  it('running and canceled: reported as they are (§2 counts neither)', () => {
    expect(single(gl(file('deployment.running.json')), 'DeploymentReported')).toMatchObject({ status: 'running', at: '2025-05-02T11:54:46.000Z', reportId: 'running@2025-05-02T11:54:46.000Z' })
    expect(single(gl({ ...json('deployment.success.json'), status: 'canceled' }), 'DeploymentReported').status).toBe('canceled')
  })
  it('another tier, or none: the production flag says so (false / null)', () => {
    expect(single(gl({ ...json('deployment.success.json'), environment_tier: 'staging' }), 'DeploymentReported').productionEnvironment).toBe(false)
    const p = json('deployment.success.json')
    delete p['environment_tier']
    expect(single(gl(p), 'DeploymentReported').productionEnvironment).toBeNull()
  })
  it('a commit_url without a full sha, a short_sha that disagrees, a time that is none: dead letters naming the field', () => {
    expectDlq(gl({ ...json('deployment.success.json'), commit_url: 'https://gitlab.com/x/-/commit/58793660' }), 'commit_url')
    expectDlq(gl({ ...json('deployment.success.json'), short_sha: 'deadbeef' }), 'short_sha')
    expectDlq(gl({ ...json('deployment.success.json'), status_changed_at: 'yesterday' }), 'status_changed_at')
  })
  it('a time without a zone is UTC (never the host TZ), like everywhere else', () => {
    expect(single(gl({ ...json('deployment.success.json'), status_changed_at: '2025-05-02 11:55:16' }), 'DeploymentReported').at).toBe('2025-05-02T11:55:16.000Z')
  })
})

describe('Issue Hook (incidents)', () => {
  it('incident opened (object_kind work_item, "type": "Incident", issue_type absent): triggered at created_at', () => {
    expect(single(gl(file('issue.incident.opened.json'), 'd-open'), 'IncidentTransitioned')).toEqual({
      type: 'IncidentTransitioned',
      key: 'incident:gitlab:sathwikshetty33-group/mvc#6:triggered:2026-05-28T06:09:06.964Z',
      routing: 'gitlab:sathwikshetty33-group/mvc',
      origin: 'gitlab',
      incidentId: 'sathwikshetty33-group/mvc#6',
      serviceRef: 'sathwikshetty33-group/mvc',
      serviceName: 'sathwikshetty33-group/mVc',
      team: null,
      transition: 'triggered',
      at: '2026-05-28T06:09:06.964Z',
      createdAt: '2026-05-28T06:09:06.964Z',
      title: 'Testing',
      text: 'Incident was observed.',
      urgency: undefined,
      priority: 'unknown',
      links: [],
      number: 6,
      url: 'https://gitlab.com/sathwikshetty33-group/mVc/-/issues/6',
      agent: expect.any(String),
      tags: ['type:incident'],
    })
  })
  it('incident closed (object_kind issue): resolved at closed_at', () => {
    const e = single(gl(file('issue.incident.closed.json')), 'IncidentTransitioned')
    expect([e.transition, e.at, e.createdAt, e.incidentId]).toEqual(['resolved', '2026-05-28T06:11:46.057Z', '2026-05-28T06:09:06.964Z', 'sathwikshetty33-group/mvc#6'])
  })
  it('reopen: reopened at updated_at; issue_type incident (older payloads) counts as the type', () => {
    const p = json('issue.incident.closed.json')
    p['object_attributes']['action'] = 'reopen'
    p['object_attributes']['type'] = undefined
    p['object_attributes']['issue_type'] = 'incident'
    const e = single(gl(p), 'IncidentTransitioned')
    expect([e.transition, e.at, e.tags]).toEqual(['reopened', '2026-05-28T06:11:46.241Z', ['type:incident']])
  })
  it('a plain issue with labels: its labels go along for the configuration to decide; without labels: dropped', () => {
    const p = json('issue.incident.closed.json')
    p['object_attributes']['type'] = 'Issue'
    p['labels'] = [{ title: 'Incident' }, { title: 'sev-2' }]
    expect(single(gl(p), 'IncidentTransitioned').tags).toEqual(['type:issue', 'label:incident', 'label:sev-2'])
    p['labels'] = []
    expect(gl(p)).toMatchObject({ kind: 'drop', code: 'not_used_by_metrics', reason: expect.stringMatching(/no incident type and no labels/) })
  })
})
