/**
 * One side of the import bench, in its own process:
 *   mode "import":  `doraflow import github` as the CLI runs it (importGithub into an embedded log);
 *   mode "ceiling": a bare client (fetch) that only downloads the same pages, in the same order,
 *                   and keeps nothing: the stand-in's serving ceiling.
 * node bin/run-ts.js bench/lib/import-child.ts '{"mode","apiUrl","token","repo","dir"}'
 */
import { join } from 'node:path'
import { parseConfig } from '../../config/load.ts'
import { openEmbeddedLog } from '../../log/embedded.ts'
import { importGithub } from '../../sources/github/import/importer.ts'
import { ImportState } from '../../sources/shared/import/state.ts'

const o = JSON.parse(process.argv[2]!) as { mode: 'import' | 'ceiling'; apiUrl: string; token: string; repo: string; dir: string }
const config = parseConfig({ github: { token: o.token, apiUrl: o.apiUrl }, imports: { path: join(o.dir, 'imports') }, log: { path: join(o.dir, 'log') } })
const t0 = performance.now()
let records = 0
let requests = 0
if (o.mode === 'import') {
  const log = openEmbeddedLog(config.log.path)
  const state = new ImportState(config.imports.path)
  const summary = await importGithub({ repos: [o.repo] }, { config, log, state })
  if (summary.status !== 'succeeded') throw new Error(JSON.stringify(summary.scopes))
  records = summary.recordsRead
  requests = summary.requests
  await log.close()
  state.close()
} else {
  // The bare server ceiling: plain fetch, the same pages in the same order, Link followed, nothing kept.
  const headers = { authorization: `token ${o.token}`, accept: 'application/vnd.github+json' }
  const list = async (first: string, each: (items: Record<string, unknown>[]) => Promise<void>) => {
    for (let url: string | null = first; url; ) {
      const res: Response = await fetch(url, { headers })
      requests++
      await each((await res.json()) as Record<string, unknown>[])
      url = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1] ?? null
    }
  }
  const base = `${o.apiUrl}/repos/${o.repo}`
  const repoRes = await fetch(base, { headers })
  requests++
  const { default_branch } = (await repoRes.json()) as { default_branch: string }
  await list(`${base}/deployments?per_page=100`, async (ds) => {
    for (const d of ds) {
      await list(`${base}/deployments/${String(d['id'])}/statuses?per_page=100`, async () => {})
      records++
    }
  })
  await list(`${base}/commits?sha=${default_branch}&per_page=100`, async (cs) => void (records += cs.length))
  await list(`${base}/pulls?state=closed&sort=updated&direction=desc&per_page=100`, async (ps) => void (records += ps.filter((p) => p['merged_at']).length))
  await list(`${base}/issues?state=all&per_page=100`, async () => {})
}
const seconds = (performance.now() - t0) / 1000
process.stdout.write(`${JSON.stringify({ mode: o.mode, records, requests, seconds, recordsPerSecond: records / seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`)
