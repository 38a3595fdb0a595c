/**
 * `doraflow import github` against the stand-in over loopback (real octokit):
 * the history shapes of §10, each compared with hand-computed changes and
 * with what the same history sent as webhooks gives.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { hookEnvelope, RepoWorld } from './world.ts'
import { githubStandinFor, importConfig, importer, logged, tables } from './harness.ts'
import type { GithubStandin } from '../standins/github-api.ts'
import type { ChangeRecord, DeploymentRecord } from '../../domain/records.ts'

let gh: GithubStandin | null = null
afterEach(async () => {
  await gh?.close()
  gh = null
})

const H = (h: number, m = 0) => `2026-07-01T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00Z`
const D = (day: number, h: number) => `2026-07-${String(day).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00Z`

async function importWorld(w: RepoWorld, req: { since?: string; until?: string } = {}) {
  gh = await githubStandinFor(w)
  const config = importConfig(gh, null)
  const imp = importer(config)
  const summary = await imp.github({ repos: [w.fullName], ...req })
  return { config, imp, summary, imported: tables(logged(imp.log), config), webhooks: tables(w.hooks.map(hookEnvelope), config) }
}

const rows = <T>(t: string[]): T[] => t.map((r) => JSON.parse(r) as T)
const changesOf = (t: { changes: string[] }) =>
  rows<ChangeRecord>(t.changes)
    .map((c) => `${c.deploymentId}:${c.sha.slice(0, 7)}:${c.leadTimeSeconds}`)
    .sort()
const deploymentsOf = (t: { deployments: string[] }) => rows<DeploymentRecord>(t.deployments).map((d) => ({ id: d.id, changes: d.changeCount, deployedAt: d.deployedAt }))

describe('import github: history shapes (METRICS.md §10)', () => {
  it('a linear history: each deployment gets the commits since the previous one, as the webhooks give them', async () => {
    const w = new RepoWorld('acme/checkout')
    const a = w.push(H(8))
    const b = w.push(H(9), H(9, 30))
    w.deploy(101, b, 'production', [['in_progress', H(9, 58)], ['success', H(10)]])
    const c = w.push(H(11))
    w.deploy(102, c, 'production', [['success', H(12)]])
    const { imported, webhooks, summary } = await importWorld(w)
    expect(summary.status).toBe('succeeded')
    // D101: a (7200 s), b's two commits (3600, 1800); D102: c (3600).
    const s = (x: string) => x.slice(0, 7)
    expect(changesOf(imported)).toEqual([`github:acme/checkout#101:${s(a)}:7200`, `github:acme/checkout#101:${w.commits[1]!.sha.slice(0, 7)}:3600`, `github:acme/checkout#101:${s(b)}:1800`, `github:acme/checkout#102:${s(c)}:3600`].sort())
    expect(imported).toEqual(webhooks)
    // deployedAt is the first success status's created_at, not the deployment's updated_at.
    expect(deploymentsOf(imported).map((d) => d.deployedAt)).toEqual([Date.parse(H(10)), Date.parse(H(12))])
  })
})
