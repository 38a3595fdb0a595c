/**
 * The terminal side of an import: a bar per repository or service (records
 * read of the estimated total, new facts, ETA) while it runs, and the summary
 * after. Both paths (in this process, or through a running serve) feed it the
 * same progress values.
 */
import cliProgress from 'cli-progress'
import type { RunCounters, RunSummary, ScopeProgress } from '../sources/shared/import/run.ts'

export class ImportBars {
  private readonly multi: cliProgress.MultiBar | null
  private readonly bars = new Map<string, cliProgress.SingleBar>()

  constructor(enabled: boolean) {
    this.multi = enabled
      ? new cliProgress.MultiBar(
          {
            stream: process.stderr,
            format: '{scope} |{bar}| {value}/{total} records · {resource} · {fresh} new · ETA {eta_formatted}',
            hideCursor: true,
            clearOnComplete: false,
            etaBuffer: 50,
          },
          cliProgress.Presets.shades_classic,
        )
      : null
  }

  update(scopes: ScopeProgress[]): void {
    if (!this.multi) return
    const width = Math.max(...scopes.map((s) => s.scope.length), 8)
    for (const s of scopes) {
      if (s.status === 'pending') continue
      // The total is an estimate (pages × 100): never below what was read.
      const total = Math.max(s.estimatedTotal ?? s.read, s.read, 1)
      const payload = { scope: s.scope.padEnd(width), resource: s.status === 'running' ? (s.resource ?? '…') : s.status, fresh: s.newFacts }
      let bar = this.bars.get(s.scope)
      if (!bar) {
        bar = this.multi.create(total, s.read, payload)
        this.bars.set(s.scope, bar)
      }
      bar.setTotal(s.status === 'running' ? total : s.read || 1)
      bar.update(s.status === 'running' ? s.read : s.read || 1, payload)
    }
  }

  stop(): void {
    this.multi?.stop()
  }
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`

const budget = (b: RunSummary['budget']): string[] =>
  !b ? [] : b.limit === 0 ? ['  rate limiting is off on this server (GitHub Enterprise Server)'] : [`  API budget at the start: ${b.remaining} of ${b.limit} requests${b.resetAt ? `, full again at ${b.resetAt}` : ''}`]

export function printSummary(s: Pick<RunSummary, 'source' | 'status' | 'durationMs' | 'scopes' | 'problem' | 'budget'> & RunCounters, where: string): void {
  const failed = s.scopes.filter((x) => x.status === 'failed')
  const unit = s.source === 'github' ? 'repositories' : s.source === 'gitlab' ? 'projects' : 'scopes'
  const out = [
    `import ${s.source} ${s.status === 'succeeded' ? 'finished' : 'finished with problems'}: ${s.scopes.length} ${unit}${failed.length ? ` (${failed.length} failed)` : ''} in ${secs(s.durationMs)} ${where}`,
    `  records read ${s.recordsRead} · new facts ${s.newFacts} · requests ${s.requests} (${s.notModified} not modified, ${s.retries} retried) · waited on rate limits ${secs(s.waitedOnLimitsMs)}`,
    ...budget(s.budget ?? null),
    ...s.scopes.map((x) => `  ${x.scope}: ${x.status}${x.problem ? ` (${x.problem.reason}): ${x.problem.message}` : `, ${x.read} read, ${x.newFacts} new`}`),
    ...(s.problem ? [`  ${s.problem.reason}: ${s.problem.message}`] : []),
  ]
  process.stdout.write(`${out.join('\n')}\n`)
}
