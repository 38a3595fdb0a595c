import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseEnvelope } from '../../sources/parse.ts'
import { githubEnvelope } from '../helpers/envelope.ts'
import { expectDlq, fixture, single } from './fixtures.ts'

const gh = (event: string, file: string, delivery = 'd-1') => parseEnvelope(githubEnvelope(event, fixture(`github/${file}`), delivery))
const json = (file: string): Record<string, any> => JSON.parse(fixture(`github/${file}`))
const ZERO = '0000000000000000000000000000000000000000'

describe('github fixtures', () => {
  it('push.json: a branch-creating push to master, one commit', () => {
    const e = single(gh('push', 'push.json'), 'CommitsPushed')
    expect(e).toEqual({
      type: 'CommitsPushed',
      key: `push:github:codertocat/hello-world:${ZERO}:6113728f27ae82c7b1a177c8d03f9e96e0adf246:refs/heads/master`,
      routing: 'github:codertocat/hello-world',
      origin: 'github',
      repo: 'Codertocat/Hello-World',
      ref: 'refs/heads/master',
      defaultBranch: 'master',
      before: ZERO,
      after: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      deleted: false,
      forced: false,
      pushedAt: '2019-05-15T15:19:25Z', // head_commit.timestamp
      commits: [
        {
          id: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
          timestamp: '2019-05-15T15:19:25Z',
          message: 'Initial commit',
          url: 'https://github.com/Codertocat/Hello-World/commit/6113728f27ae82c7b1a177c8d03f9e96e0adf246',
          author: 'Codertocat',
          authorLogin: 'Codertocat',
          authorEmail: '21031067+Codertocat@users.noreply.github.com',
          files: ['README.md'], // added: [README.md], removed: [], modified: []
        },
      ],
    })
  })

  it('push: §16 file lists are the union of added, modified and removed (a rename is both paths); none listed = unknown', () => {
    const p = json('push.json')
    Object.assign(p.commits[0], { added: ['svc/b/x.ts'], modified: ['README.md'], removed: ['svc/a/x.ts', 'README.md'] })
    const e = single(parseEnvelope(githubEnvelope('push', JSON.stringify(p), 'd-files')), 'CommitsPushed')
    expect(e.commits[0]?.files).toEqual(['svc/b/x.ts', 'README.md', 'svc/a/x.ts'])
    for (const k of ['added', 'modified', 'removed']) delete p.commits[0][k]
    const bare = single(parseEnvelope(githubEnvelope('push', JSON.stringify(p), 'd-nofiles')), 'CommitsPushed')
    expect(bare.commits[0]).not.toHaveProperty('files')
    p.commits[0].added = 'README.md'
    expectDlq(parseEnvelope(githubEnvelope('push', JSON.stringify(p), 'd-bad')), 'commits.0.added')
  })

  it('push.deleted.json: emitted (the processor ignores deleted pushes), pushedAt from unix pushed_at', () => {
    const e = single(gh('push', 'push.deleted.json'), 'CommitsPushed')
    expect(e.ref).toBe('refs/tags/simple-tag')
    expect(e.deleted).toBe(true)
    expect(e.before).toBe('6113728f27ae82c7b1a177c8d03f9e96e0adf246')
    expect(e.after).toBe(ZERO)
    expect(e.commits).toEqual([])
    // head_commit is null: repository.pushed_at 1557933657 (unix seconds).
    expect(e.pushedAt).toBe('2019-05-15T15:20:57.000Z')
  })

  it('push: an ISO repository.pushed_at is kept as is; master_branch stands in for default_branch', () => {
    const p = json('push.deleted.json')
    p.repository.pushed_at = '2019-05-15T15:20:57Z'
    delete p.repository.default_branch
    p.repository.master_branch = 'trunk'
    const e = single(parseEnvelope(githubEnvelope('push', p)), 'CommitsPushed')
    expect(e.pushedAt).toBe('2019-05-15T15:20:57Z')
    expect(e.defaultBranch).toBe('trunk')
  })

  it('deployment_status.created.json: success to production, no production_environment field', () => {
    expect(single(gh('deployment_status', 'deployment_status.created.json'), 'DeploymentReported')).toEqual({
      type: 'DeploymentReported',
      key: 'deployment:github:codertocat/hello-world#145988746:status/209916254',
      routing: 'github:codertocat/hello-world',
      origin: 'github',
      deploymentId: 'codertocat/hello-world#145988746',
      reportId: 'status/209916254',
      serviceName: 'Codertocat/Hello-World',
      team: null,
      repo: 'Codertocat/Hello-World',
      environment: 'production',
      productionEnvironment: null,
      sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
      artifact: null,
      at: '2019-05-15T15:20:55Z',
      status: 'success',
      rollback: false,
      url: null, // target_url is "", environment_url and log_url absent
    })
  })

  it('deployment_status.pending.json: in_progress to github-pages', () => {
    const e = single(gh('deployment_status', 'deployment_status.pending.json'), 'DeploymentReported')
    expect(e.status).toBe('in_progress')
    expect(e.environment).toBe('github-pages')
    expect(e.productionEnvironment).toBe(false)
    expect(e.at).toBe('2022-01-03T01:28:40Z')
    expect(e.url).toBe('https://github.com/Codertocat/Hello-World/runs/145988746?check_suite_focus=true')
  })

  it('deployment_status.failure.json: failure, production_environment false', () => {
    const e = single(gh('deployment_status', 'deployment_status.failure.json'), 'DeploymentReported')
    expect(e).toMatchObject({
      key: 'deployment:github:pritesh-30/test-repo#3792291128:status/10787473524',
      routing: 'github:pritesh-30/test-repo',
      repo: 'Pritesh-30/test-repo',
      deploymentId: 'pritesh-30/test-repo#3792291128',
      reportId: 'status/10787473524',
      status: 'failure',
      environment: 'production',
      productionEnvironment: false,
      sha: 'b57138e2cd6e7b256bb4ce78ef95ba728765d865',
      at: '2026-02-07T19:11:28Z',
      url: 'https://github.com/Pritesh-30/test-repo/actions/runs/21785382221/job/62855904429',
    })
  })

  it('deployment_status.error.json: error, production_environment true, empty urls', () => {
    const e = single(gh('deployment_status', 'deployment_status.error.json'), 'DeploymentReported')
    expect(e).toMatchObject({
      deploymentId: 'pritesh-30/test-repo#3792439815',
      reportId: 'status/10787910773',
      status: 'error',
      productionEnvironment: true,
      sha: 'c308eeb1271af1f4d072cf79e2b4681f2eb88fbb',
      at: '2026-02-07T20:00:54Z',
      url: null,
    })
  })

  it('pull_request.closed.merged.json: a merge', () => {
    expect(single(gh('pull_request', 'pull_request.closed.merged.json'), 'ChangeMerged')).toEqual({
      type: 'ChangeMerged',
      key: 'change:github:robvanderleek/create-issue-branch#117',
      routing: 'github:robvanderleek/create-issue-branch',
      origin: 'github',
      repo: 'robvanderleek/create-issue-branch',
      number: 117,
      title: 'Revert "Update README.md"',
      url: 'https://github.com/robvanderleek/create-issue-branch/pull/117',
      createdAt: '2020-03-23T06:36:20Z',
      mergedAt: '2020-03-23T06:46:56Z',
      mergeCommitSha: '5a47c3f3c22f54f37a3297f2f1c98d860fba4489',
    })
  })

  it.each(['pull_request.closed.unmerged.json', 'pull_request.opened.json'])('%s: dropped (not a merge, even with a merge_commit_sha)', (f) => {
    expect(gh('pull_request', f).kind).toBe('drop')
  })

  it('issues.opened.json', () => {
    expect(single(gh('issues', 'issues.opened.json'), 'IssueChanged')).toEqual({
      type: 'IssueChanged',
      key: 'issue:github:codertocat/hello-world#1:opened:2019-05-15T15:20:18Z:github:d-1',
      routing: 'github:codertocat/hello-world',
      origin: 'github',
      issueId: 'codertocat/hello-world#1',
      repo: 'Codertocat/Hello-World',
      number: 1,
      action: 'opened',
      labels: ['bug'],
      title: 'Spelling error in the README file',
      body: "It looks like you accidently spelled 'commit' with two 't's.",
      createdAt: '2019-05-15T15:20:18Z',
      closedAt: null,
      updatedAt: '2019-05-15T15:20:18Z',
      url: 'https://github.com/Codertocat/Hello-World/issues/1',
    })
  })

  it('issues.labeled.json: the added label once', () => {
    const e = single(gh('issues', 'issues.labeled.json'), 'IssueChanged')
    expect(e.action).toBe('labeled')
    expect(e.labels).toEqual(['bug'])
  })

  it('issues.labeled: the label is added when the snapshot lacks it; unlabeled never adds it', () => {
    const p = json('issues.labeled.json')
    p.issue.labels = []
    expect(single(parseEnvelope(githubEnvelope('issues', p)), 'IssueChanged').labels).toEqual(['bug'])
    p.action = 'unlabeled'
    expect(single(parseEnvelope(githubEnvelope('issues', p)), 'IssueChanged').labels).toEqual([])
  })

  it('issues.reopened.json: closed_at of the earlier close is kept', () => {
    const e = single(gh('issues', 'issues.reopened.json'), 'IssueChanged')
    expect(e).toMatchObject({ action: 'reopened', body: '', createdAt: '2021-07-05T18:05:24Z', closedAt: '2021-07-05T18:07:10Z', updatedAt: '2021-10-11T16:40:56Z', labels: ['bug'] })
  })

  it('issues.closed.json: body null → "", no labels', () => {
    const e = single(gh('issues', 'issues.closed.json'), 'IssueChanged')
    expect(e).toMatchObject({
      key: 'issue:github:pritesh-30/test-repo#8:closed:2026-01-31T08:11:37Z:github:d-1',
      repo: 'Pritesh-30/test-repo',
      number: 8,
      title: 'Bug related to the bot',
      body: '',
      labels: [],
      createdAt: '2026-01-31T08:11:06Z',
      closedAt: '2026-01-31T08:11:37Z',
      url: 'https://github.com/Pritesh-30/test-repo/issues/8',
    })
  })

  it.each([
    ['ping', 'ping.json'],
    ['release', 'release.published.json'],
    ['workflow_run', 'workflow_run.completed.json'],
    ['workflow_run', 'workflow_run.completed.failure.json'],
    ['deployment', 'deployment.created.json'],
  ])('%s (%s): dropped', (event, f) => {
    const out = gh(event, f)
    expect(out.kind).toBe('drop')
    if (out.kind === 'drop') expect(out.reason).toContain(event)
  })
})

describe('github bodies', () => {
  it('form-encoded: the JSON in the payload field gives the same events', () => {
    const raw = fixture('github/push.json')
    const form = new URLSearchParams({ payload: raw }).toString()
    const out = parseEnvelope(githubEnvelope('push', form, 'd-1', { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }))
    expect(out).toEqual(parseEnvelope(githubEnvelope('push', raw, 'd-1')))
    expect(single(out, 'CommitsPushed').after).toBe('6113728f27ae82c7b1a177c8d03f9e96e0adf246')
  })

  it('deterministic: the same envelope twice, or redelivered later, gives equal output', () => {
    for (const [event, f] of [['push', 'push.json'], ['issues', 'issues.labeled.json'], ['deployment_status', 'deployment_status.failure.json']] as const) {
      const env = githubEnvelope(event, fixture(`github/${f}`), 'd-7')
      expect(parseEnvelope(env)).toEqual(parseEnvelope(env))
      expect(parseEnvelope({ ...env, time: '2030-01-01T00:00:00.000Z' })).toEqual(parseEnvelope(env))
    }
  })
})

describe('github malformed → dlq naming the field', () => {
  const mutated = (file: string, edit: (p: Record<string, any>) => void) => {
    const p = json(file)
    edit(p)
    return p
  }
  it.each<[string, string, unknown, string]>([
    ['invalid JSON', 'push', '{"ref": ', 'not valid JSON'],
    ['JSON that is not an object', 'push', '[1,2]', 'body must be a JSON object'],
    ['missing repository', 'push', mutated('push.json', (p) => delete p.repository), 'repository.full_name'],
    ['commits not an array', 'push', mutated('push.json', (p) => (p.commits = 'x')), 'commits'],
    ['commit timestamp unparsable', 'push', mutated('push.json', (p) => (p.commits[0].timestamp = 'yesterday')), 'commits.0.timestamp'],
    ['after not a string', 'push', mutated('push.json', (p) => (p.after = 42)), 'after'],
    ['deleted not a boolean', 'push', mutated('push.json', (p) => (p.deleted = 'no')), 'deleted'],
    ['deployment_status missing', 'deployment_status', mutated('deployment_status.created.json', (p) => delete p.deployment_status), 'deployment_status.id'],
    ['status created_at unparsable', 'deployment_status', mutated('deployment_status.created.json', (p) => (p.deployment_status.created_at = 'soon')), 'deployment_status.created_at'],
    ['deployment sha missing', 'deployment_status', mutated('deployment_status.created.json', (p) => delete p.deployment.sha), 'deployment.sha'],
    ['production_environment not a boolean', 'deployment_status', mutated('deployment_status.error.json', (p) => (p.deployment.production_environment = 'yes')), 'deployment.production_environment'],
    ['merged PR without merged_at', 'pull_request', mutated('pull_request.closed.merged.json', (p) => (p.pull_request.merged_at = null)), 'pull_request.merged_at'],
    ['issue number a string', 'issues', mutated('issues.opened.json', (p) => (p.issue.number = '1')), 'issue.number'],
    ['label without a name', 'issues', mutated('issues.opened.json', (p) => (p.issue.labels = [{}])), 'issue.labels.0.name'],
    ['labeled without label', 'issues', mutated('issues.labeled.json', (p) => delete p.label), 'label.name'],
  ])('%s', (_, event, body, field) => {
    expectDlq(parseEnvelope(githubEnvelope(event, body)), field)
  })

  it('no x-github-event header', () => {
    const env = githubEnvelope('push', fixture('github/push.json'))
    delete env.doraflowheaders['x-github-event']
    expectDlq(parseEnvelope(env), 'x-github-event')
  })

  it('form-encoded body without payload', () => {
    expectDlq(parseEnvelope(githubEnvelope('push', 'foo=bar', undefined, { 'content-type': 'application/x-www-form-urlencoded' })), 'payload')
  })
})

describe('@octokit/webhooks-examples: every example is ok or drop, never dlq, never throws', () => {
  const require = createRequire(import.meta.url)
  const root = path.dirname(require.resolve('@octokit/webhooks-examples/package.json'))
  const sets = ['api.github.com', 'ghes-31', 'ghes-32', 'ghes-33', 'ghes-34', 'ghes-35']
  const cases: [string, string, number, unknown][] = []
  for (const set of sets) {
    const defs = JSON.parse(readFileSync(path.join(root, set, 'index.json'), 'utf8')) as { name: string; examples: unknown[] }[]
    for (const def of defs) {
      if (!['push', 'pull_request', 'deployment_status', 'issues'].includes(def.name)) continue
      def.examples.forEach((ex, i) => cases.push([set, def.name, i, ex]))
    }
  }

  it('loads examples of all four events', () => {
    expect(new Set(cases.map((c) => c[1]))).toEqual(new Set(['push', 'pull_request', 'deployment_status', 'issues']))
    expect(cases.length).toBeGreaterThan(100)
  })

  it.each(cases)('%s %s #%i', (_set, name, _i, example) => {
    const out = parseEnvelope(githubEnvelope(name, example))
    expect(out.kind, JSON.stringify(out)).not.toBe('dlq')
    // Events of the handled types always come out for these (only non-merge PR actions drop).
    if (name !== 'pull_request') expect(out.kind).toBe('ok')
  })
})
