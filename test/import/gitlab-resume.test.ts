/**
 * `doraflow import gitlab` as a real child process, killed (SIGKILL) while it
 * asks for the 4th page of commits, and run again: it resumes at that page,
 * and the log ends up with every record exactly once.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../config/load.ts'
import { openEmbeddedLog } from '../../log/embedded.ts'
import { doraflow, freePort, run } from '../helpers/child.ts'
import { startGitlabStandin, type GitlabStandin } from '../standins/gitlab-api.ts'
import { tables } from './harness.ts'
import { GitlabWorld } from './gitlab-world.ts'

let gl: GitlabStandin | null = null
afterEach(async () => {
  await gl?.close()
  gl = null
})

const at = (minutes: number) => new Date(Date.parse('2026-07-01T00:00:00Z') + minutes * 60_000).toISOString()

describe('import gitlab: killed half-way, resumed', () => {
  it('resumes at the page it was reading; every record is in the log once', async () => {
    const w = new GitlabWorld(42, 'acme/shop')
    for (let i = 0; i < 500; i++) {
      const [sha] = w.push([at(i * 10)])
      if (i % 50 === 49) w.deploy(3000 + i, sha!, at(i * 10 + 5))
    }
    gl = await startGitlabStandin({ token: 'glpat-resume' })
    gl.projects.push(w.project)
    const dir = mkdtempSync(join(tmpdir(), 'doraflow-glresume-'))
    const yaml = `server: {port: ${await freePort()}}\nlog: {path: ${join(dir, 'log')}}\nimports: {path: ${join(dir, 'imports')}}\ngitlab: {token: \${GITLAB_TOKEN}, apiUrl: '${gl.url}'}\nservices: [{name: shop, team: web, gitlabProjects: [acme/shop]}]\n`
    writeFileSync(join(dir, 'doraflow.yaml'), yaml)
    const args = ['--config', join(dir, 'doraflow.yaml'), 'import', 'gitlab', '--project', 'acme/shop', '--no-progress']
    const env = { GITLAB_TOKEN: 'glpat-resume' }

    const child = doraflow(args, dir, env)
    const isCommits = (p: string) => p.includes('/repository/commits?')
    let killedAt = -1
    gl.onRequest = (p) => {
      // Page 4 is asked for once page 3's records are durable and its checkpoint saved.
      if (killedAt < 0 && isCommits(p) && /[?&]page=4(&|$)/.test(p)) {
        killedAt = gl!.requests.length
        child.proc.kill('SIGKILL')
      }
    }
    expect(await child.exited).toBe(null) // killed by the signal, not exited
    expect(killedAt).toBeGreaterThan(0)
    gl.onRequest = undefined

    const partial = openEmbeddedLog(join(dir, 'log'))
    const durable = (await partial.read(0, 10_000)).map((e) => e.envelope.type)
    await partial.close()
    expect(durable.filter((t) => t === 'com.gitlab.api.commit').length).toBe(300)
    expect(durable.filter((t) => t === 'com.gitlab.api.deployment').length).toBe(10)

    const again = await run(args, dir, env)
    expect(again.code).toBe(0)
    const pages = gl.requests.slice(killedAt).filter(isCommits).map((p) => new URL(p, 'http://x').searchParams.get('page'))
    expect(pages).toEqual(['4', '5'])
    expect(again.stdout).toContain(`new facts ${510 - durable.length}`)

    const log = openEmbeddedLog(join(dir, 'log'))
    const all = (await log.read(0, 10_000)).map((e) => e.envelope)
    await log.close()
    expect(all.length).toBe(500 + 10)
    const config = parseConfig({ services: [{ name: 'shop', team: 'web', gitlabProjects: ['acme/shop'] }] })
    expect(tables(all, config)).toEqual(tables(w.hooks, config))
  }, 60_000)
})
