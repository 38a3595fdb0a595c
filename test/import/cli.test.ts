/**
 * `doraflow import` refuses what it cannot do with messages that name the
 * option or the configuration key to fix, and a non-zero exit code.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { freePort, run } from '../helpers/child.ts'
import { startGitlabStandin } from '../standins/gitlab-api.ts'
import { cappedWorld } from './gitlab-world.ts'

async function configDir(extra = ''): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'doraflow-import-cli-'))
  writeFileSync(join(dir, 'doraflow.yaml'), `server: {port: ${await freePort()}}\nlog: {path: ${join(dir, 'log')}}\nimports: {path: ${join(dir, 'imports')}}\n${extra}`)
  return dir
}

describe('doraflow import: refusals', () => {
  it('no repository and no organisation: names --repo and --org', async () => {
    const dir = await configDir()
    const r = await run(['--config', join(dir, 'doraflow.yaml'), 'import', 'github'], dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('--repo')
    expect(r.stderr).toContain('--org')
  })

  it('a date it cannot read: names --since', async () => {
    const dir = await configDir()
    const r = await run(['--config', join(dir, 'doraflow.yaml'), 'import', 'pagerduty', '--since', 'last week'], dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/--since: must be a date/)
  })

  it('no token configured: the summary names github.token, exit code 1', async () => {
    const dir = await configDir()
    const r = await run(['--config', join(dir, 'doraflow.yaml'), 'import', 'github', '--repo', 'acme/checkout', '--no-progress'], dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('importing into the event log (embedded) directly')
    expect(r.stdout).toContain('bad_token: no GitHub token configured: set github.token')
  })

  it('gitlab: no project and no group names --project and --group', async () => {
    const dir = await configDir()
    const r = await run(['--config', join(dir, 'doraflow.yaml'), 'import', 'gitlab'], dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('--project')
    expect(r.stderr).toContain('--group')
  })

  it('gitlab: no token configured names gitlab.token and read_api', async () => {
    const dir = await configDir()
    const r = await run(['--config', join(dir, 'doraflow.yaml'), 'import', 'gitlab', '--group', 'acme', '--no-progress'], dir)
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('bad_token: no GitLab token configured: set gitlab.token')
    expect(r.stdout).toContain('read_api')
  })
})

describe('doraflow import gitlab: a real run', () => {
  it('imports a project from the API into the event log: the summary counts its records', async () => {
    const gl = await startGitlabStandin({ token: 'glpat-cli' })
    try {
      gl.projects.push(cappedWorld().w.project)
      const dir = await configDir(`gitlab: {token: glpat-cli, apiUrl: '${gl.url}'}\n`)
      const r = await run(['--config', join(dir, 'doraflow.yaml'), 'import', 'gitlab', '--project', 'acme/shop', '--no-progress'], dir)
      expect(r.stdout).toContain('import gitlab finished: 1 projects')
      // 2 deployments, 26 commits, 1 merge request, 1 incident issue.
      expect(r.stdout).toContain('records read 30 · new facts 30')
      expect(r.code).toBe(0)
    } finally {
      await gl.close()
    }
  })
})
