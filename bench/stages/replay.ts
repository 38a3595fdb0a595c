/** Processing: `replay` over N events vs the insert ceiling; peak RSS of replay at N and at a multiple of N. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeConfig } from '../lib/config.ts'
import { runJson } from '../lib/proc.ts'

export interface ReplayRun {
  seconds: number
  phases: Record<string, number>
  result: { events: number; facts: number; dropped: number; deadLettered: number; services: number }
  rows: Record<string, number>
  maxRssMB: number
}

async function prepared(repos: number, events: number) {
  const dir = mkdtempSync(join(tmpdir(), `doraflow-bench-replay-${events}-`))
  const config = writeConfig(dir, { port: 0, repos })
  const seed = await runJson<{ events: number; bodyMB: number; seconds: number }>('bench/lib/seed-log.ts', { dir: join(dir, 'log'), repos, events })
  return { dir, config, seed }
}

export async function benchReplay(o: { repos: number; events: number; memoryEvents: number[]; cpuProf?: string }) {
  const main = await prepared(o.repos, o.events)
  try {
    const ceilingBefore = await runJson<{ events: number; facts: number; seconds: number; eventsPerSecond: number }>('bench/lib/insert-ceiling.ts', { config: main.config, batch: 5000 })
    rmSync(join(main.dir, 'clickhouse'), { recursive: true, force: true })
    const run = await runJson<ReplayRun>('bench/lib/replay-child.ts', { config: main.config }, o.cpuProf ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${o.cpuProf}`] } : {})
    // The machine is shared and noisy: the ceiling again after the replay; the higher (stricter) one counts.
    rmSync(join(main.dir, 'clickhouse'), { recursive: true, force: true })
    const ceilingAfter = await runJson<{ events: number; facts: number; seconds: number; eventsPerSecond: number }>('bench/lib/insert-ceiling.ts', { config: main.config, batch: 5000 })
    const ceiling = ceilingBefore.eventsPerSecond >= ceilingAfter.eventsPerSecond ? ceilingBefore : ceilingAfter
    // The 1 M log (≈ 11 GB) goes before the 5 M one (≈ 55 GB) is seeded: both at once may not fit.
    rmSync(main.dir, { recursive: true, force: true })
    const memory: { events: number; maxRssMB: number; seconds: number }[] = []
    for (const n of o.memoryEvents) {
      if (n === o.events) {
        memory.push({ events: n, maxRssMB: run.maxRssMB, seconds: run.seconds })
        continue
      }
      const p = await prepared(o.repos, n)
      try {
        const r = await runJson<ReplayRun>('bench/lib/replay-child.ts', { config: p.config })
        memory.push({ events: n, maxRssMB: r.maxRssMB, seconds: r.seconds })
      } finally {
        rmSync(p.dir, { recursive: true, force: true })
      }
    }
    return { seed: main.seed, ceiling, ceilings: [ceilingBefore.eventsPerSecond, ceilingAfter.eventsPerSecond], run, eventsPerSecond: run.result.events / run.seconds, memory }
  } finally {
    rmSync(main.dir, { recursive: true, force: true })
  }
}
