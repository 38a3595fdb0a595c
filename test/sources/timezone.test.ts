import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '../..')

/** GitLab's and Jira's time formats, and zone-less times, read the same under any host TZ (a child process: TZ is process-wide). */
describe('GitLab and Jira times under a non-UTC TZ', () => {
  it.each([
    ['Europe/Berlin', -120],
    ['America/New_York', 240],
  ])('%s', (tz, offset) => {
    const out = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'bin/run-ts.js'), path.join(ROOT, 'test/sources/timezone-child.ts')], { env: { ...process.env, TZ: tz }, encoding: 'utf8' }))
    expect(out).toEqual({
      tz,
      hostOffsetMinutes: offset,
      gitlabDeployment: '2025-05-02T11:55:16.000Z',
      gitlabZoneless: '2025-05-02T11:55:16.000Z',
      gitlabMergeCreated: '2017-12-10T17:01:11.000Z',
      jiraCreated: '2017-01-30T17:30:41.962Z',
      jiraZoneless: '2017-01-30T18:30:41.962Z',
    })
  }, 60_000)
})
