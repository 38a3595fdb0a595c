/**
 * `doraflow import github` as a real child process, killed (SIGKILL) half-way
 * through the commits and run again: it resumes at the page after the last one
 * it had appended, and the log ends up with every record exactly once.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../config/load.ts'
import { openEmbeddedLog } from '../../log/embedded.ts'
import { doraflow, freePort, run } from '../helpers/child.ts'
import type { GithubStandin } from '../standins/github-api.ts'
import { GH_TOKEN, githubStandinFor, tables } from './harness.ts'
import { hookEnvelope, RepoWorld } from './world.ts'

let gh: GithubStandin | null = null
afterEach(async () => {
  await gh?.close()
  gh = null
})

const at = (minutes: number) => new Date(Date.parse('2026-07-01T00:00:00Z') + minutes * 60_000).toISOString()

describe('import github: killed half-way, resumed', () => {
  it('resumes at the page after the last one appended; every record is in the log once', async () => {
    const w = new RepoWorld('acme/checkout')
    for (let i = 0; i < 600; i++) {
      const sha = w.push(at(i * 10))
      if (i % 4 === 3) w.deploy(2000 + i, sha, 'production', [['success', at(i * 10 + 5)]])
    }
    gh = await githubStandinFor(w)
    const dir = mkdtempSync(join(tmpdir(), 'doraflow-resume-'))
    const yaml = `server: {port: ${await freePort()}}\nlog: {path: ${join(dir, 'log')}}\nimports: {path: ${join(dir, 'imports')}}\ngithub: {token: \${GH_TOKEN}, apiUrl: ${gh.url}}\nservices: [{name: checkout, team: payments, repositories: [acme/checkout]}]\n`
    writeFileSync(join(dir, 'doraflow.yaml'), yaml)
    const args = ['--config', join(dir, 'doraflow.yaml'), 'import', 'github', '--repo', 'acme/checkout', '--no-progress']

    const child = doraflow(args, dir, { GH_TOKEN })
    let killedAt = -1
    gh.onRequest = (path) => {
      // Page 5 is asked for while page 4 is being appended (the next page is fetched ahead).
      if (killedAt < 0 && path.startsWith('/repos/acme/checkout/commits') && path.includes('page=5')) {
        killedAt = gh!.stats.paths.length
        child.proc.kill('SIGKILL')
      }
    }
    expect(await child.exited).toBe(null) // killed by the signal, not exited
    expect(killedAt).toBeGreaterThan(0)
    gh.onRequest = undefined

    const partial = openEmbeddedLog(join(dir, 'log'))
    const durable = (await partial.read(0, 10_000)).map((e) => e.envelope.type)
    await partial.close()
    const before = durable.length
    // The commits of pages 1–3 were durable before the kill, page 4's maybe (page 5 is asked
    // for while page 4 is appended); the deployments list runs beside it, some of it done.
    const commitsBefore = durable.filter((t) => t === 'com.github.api.commit').length
    expect([300, 400]).toContain(commitsBefore)
    expect(durable.filter((t) => t === 'com.github.api.deployment').length).toBeLessThanOrEqual(150)

    const again = await run(args, dir, { GH_TOKEN })
    expect(again.stderr).toContain('importing into the event log (embedded) directly')
    expect(again.code).toBe(0)
    const resumedCommits = gh.stats.paths.slice(killedAt).filter((p) => p.startsWith('/repos/acme/checkout/commits'))
    // It starts at the page after the last one whose records were durable: never at page 1.
    expect(resumedCommits[0]).toContain(`page=${commitsBefore / 100 + 1}`)
    expect(resumedCommits.some((p) => !p.includes('page='))).toBe(false)
    expect(again.stdout).toContain(`new facts ${750 - before}`)

    const log = openEmbeddedLog(join(dir, 'log'))
    const all = (await log.read(0, 10_000)).map((e) => e.envelope)
    await log.close()
    expect(all.length).toBe(600 + 150)
    const config = parseConfig({ services: [{ name: 'checkout', team: 'payments', repositories: ['acme/checkout'] }] })
    expect(tables(all, config)).toEqual(tables(w.hooks.map(hookEnvelope), config))
  }, 60_000)
})
