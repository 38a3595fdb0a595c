/**
 * Import: one repository (N commits, M deployments with two statuses each) from
 * the GitHub stand-in, as records/s against the stand-in's own serving ceiling
 * (a client that only downloads the same pages), in the same run; the
 * importer's peak RSS at two history sizes (memory flat in history size).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runJson } from '../lib/proc.ts'
import { startGithubStandin, type SRepo } from '../../test/standins/github-api.ts'

interface Side {
  mode: string
  records: number
  requests: number
  seconds: number
  recordsPerSecond: number
  maxRssMB: number
}

const TOKEN = 'ghp_bench'
const t = (i: number) => new Date(Date.parse('2025-01-01T00:00:00Z') + i * 60_000).toISOString()
const sha = (i: number) => i.toString(16).padStart(40, '0')

function history(name: string, commits: number, deployments: number): SRepo {
  const repo: SRepo = { fullName: name, defaultBranch: 'main', commits: [], head: sha(commits), deployments: [], pulls: [], issues: [] }
  for (let i = 1; i <= commits; i++) repo.commits.push({ sha: sha(i), parents: i > 1 ? [sha(i - 1)] : [], at: t(i), author: 'dev', message: `change ${i}` })
  const every = Math.max(1, Math.floor(commits / deployments))
  for (let d = 1; d <= deployments; d++) {
    const c = Math.min(commits, d * every)
    repo.deployments.push({ id: d, sha: sha(c), environment: 'production', createdAt: t(c), productionEnvironment: true, statuses: [{ id: 2 * d, state: 'in_progress', at: t(c) }, { id: 2 * d + 1, state: 'success', at: t(c + 1) }] })
  }
  return repo
}

export async function benchImport(o: { commits: number; deployments: number; smallCommits: number }) {
  const gh = await startGithubStandin({ token: TOKEN })
  const dirs: string[] = []
  const side = async (mode: 'import' | 'ceiling', repo: string) => {
    const dir = mkdtempSync(join(tmpdir(), `doraflow-bench-import-${mode}-`))
    dirs.push(dir)
    return runJson<Side>('bench/lib/import-child.ts', { mode, apiUrl: gh.url, token: TOKEN, repo, dir })
  }
  try {
    gh.repos.set('bench/big', history('bench/big', o.commits, o.deployments))
    gh.repos.set('bench/small', history('bench/small', o.smallCommits, Math.round((o.deployments * o.smallCommits) / o.commits)))
    // The shared machine is noisy: the ceiling before and after; the higher (stricter) one counts.
    const before = await side('ceiling', 'bench/big')
    const run = await side('import', 'bench/big')
    const after = await side('ceiling', 'bench/big')
    const ceiling = before.recordsPerSecond >= after.recordsPerSecond ? before : after
    const small = await side('import', 'bench/small')
    return { commits: o.commits, deployments: o.deployments, ceiling, ceilings: [before.recordsPerSecond, after.recordsPerSecond], run, ratio: run.recordsPerSecond / ceiling.recordsPerSecond, memory: [{ commits: o.smallCommits, maxRssMB: small.maxRssMB }, { commits: o.commits, maxRssMB: run.maxRssMB }] }
  } finally {
    await gh.close()
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  }
}
