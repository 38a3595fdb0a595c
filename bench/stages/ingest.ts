/**
 * Ingest and freshness against a real `doraflow serve` in a child process,
 * load from a second process (autocannon), the ceiling server measured in the
 * same run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openEmbeddedLog } from '../../log/embedded.ts'
import { PROBE_REPO, writeConfig } from '../lib/config.ts'
import { DORAFLOW, freePort, machineCpu, quantile, RUN_TS, rssOf, runJson, sleep, start, threadCpuOf, treeOf, treeRssOf, waitFor, cmdlineOf, type Child } from '../lib/proc.ts'
import { githubDelivery, statusPayload, workload } from '../lib/workload.ts'

export interface LoadResult {
  seconds: number
  sent: number
  ok2xx: number
  non2xx: number
  errors: number
  timeouts: number
  statusCodes: Record<string, { count: number }>
  rps: number
  latency: { p50: number; p90: number; p99: number; max: number; mean: number }
  throughputMBs: number
}

export interface IngestOptions {
  repos: number
  pool: number
  seconds: number
  connections: number
  fixedRate: number
  freshnessRate: number
  freshnessProbes: number
  cpuProf?: string
}

export function writePool(dir: string, repos: number, n: number): string {
  const file = join(dir, 'pool.json')
  writeFileSync(file, JSON.stringify([...workload({ repos, events: n, seed: 7, prefix: 'pool' })]))
  return file
}

const load = (url: string, pool: string, seconds: number, connections: number, rate: number, runId: string) =>
  runJson<LoadResult>('bench/lib/load.ts', { url, pool, seconds, connections, rate, runId })

/**
 * How a stage's `doraflow serve` is configured and how its log is counted after kill -9.
 * The embedded ingest stage and the Kafka stage differ only here.
 */
export interface ServeMode {
  /** Extra lines of the config's log block and extra top-level YAML, per serve started (a fresh topic each time, say). */
  config: (dir: string) => { log?: string[]; extra?: string }
  /** Envelopes the log holds after serve was killed with kill -9. */
  stored: (dir: string, config: string) => Promise<{ stored: number; [k: string]: unknown }>
}

export const EMBEDDED: ServeMode = {
  // DORAFLOW_BENCH_ONE_PROCESS=1 measures serve as one process (processor.ownProcess: false), for comparison.
  // DORAFLOW_BENCH_PRIORITY=idle|low|normal sets processor.cpuPriority (the back's CPU priority), for comparison.
  config: () => {
    const lines = [
      ...(process.env.DORAFLOW_BENCH_ONE_PROCESS === '1' ? ['  ownProcess: false'] : []),
      ...(process.env.DORAFLOW_BENCH_PRIORITY ? [`  cpuPriority: ${process.env.DORAFLOW_BENCH_PRIORITY}`] : []),
    ]
    return lines.length > 0 ? { extra: `processor:\n${lines.join('\n')}\n` } : {}
  },
  stored: async (dir) => {
    const log = openEmbeddedLog(join(dir, 'log'))
    try {
      return { stored: await log.count() }
    } finally {
      await log.close()
    }
  },
}

async function startServe(dir: string, repos: number, mode: ServeMode, cpuProf?: string): Promise<{ child: Child; url: string; config: string }> {
  const port = await freePort()
  const config = writeConfig(dir, { port, repos, ...mode.config(dir) })
  const child = start([DORAFLOW, 'serve', '--config', config], { nodeArgs: cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] : [] })
  const url = `http://127.0.0.1:${port}`
  await waitFor(`${url}/healthz`, child)
  return { child, url, config }
}

async function stopGracefully(child: Child): Promise<void> {
  child.proc.kill('SIGTERM')
  await Promise.race([child.exited, sleep(15_000)])
  if (child.proc.exitCode === null) child.proc.kill('SIGKILL')
}

export type Ceiling = Awaited<ReturnType<typeof measureCeiling>>

/** Ceiling: bare node:http (body, HMAC, JSON.parse, 202), same load, same machine, same run. */
export async function measureCeiling(pool: string, o: IngestOptions) {
  const cport = await freePort()
  const ceilingChild = start([RUN_TS, 'bench/lib/ceiling-server.ts', String(cport)])
  try {
    await sleep(300)
    while (!ceilingChild.output().includes('"port"')) await sleep(100)
    const curl = `http://127.0.0.1:${cport}`
    await load(curl, pool, 2, o.connections, 0, 'cw') // warm-up
    const c0 = threadCpuOf(ceilingChild.proc.pid!)
    const ceiling = await load(curl, pool, o.seconds, o.connections, 0, 'c')
    const c1 = threadCpuOf(ceilingChild.proc.pid!)
    // CPU per request holds up better than req/s on a machine others load too.
    const ceilingCpuMsPerRequest = (1000 * (c1.mainS + c1.otherS - c0.mainS - c0.otherS)) / Math.max(1, ceiling.ok2xx)
    const ceilingFixed = await load(curl, pool, o.seconds, o.connections, o.fixedRate, 'cf')
    return { ceiling, ceilingFixed, ceilingCpuMsPerRequest }
  } finally {
    ceilingChild.proc.kill('SIGTERM')
    await ceilingChild.exited
  }
}

/**
 * One `doraflow serve` configured by `mode`: max rate (with CPU), fixed rate, RSS,
 * kill -9 and the durability count; then a second serve for freshness.
 * `runId` keeps the load process's delivery ids apart between stages of one run.
 */
export async function measureServe(dir: string, pool: string, o: IngestOptions, mode: ServeMode, runId = 's') {
  const serve = await startServe(join(dir, 'serve'), o.repos, mode, o.cpuProf)
  await sleep(1000)
  const pid = serve.child.proc.pid!
  const idleRss = treeRssOf(pid)
  await load(serve.url, pool, 2, o.connections, 0, `${runId}w`)
  // Where the CPU goes during the max-rate run: serve's main thread (HTTP, log; in one process also
  // the processor's JS) vs its other threads (chdb, libuv) and, split, the back process; and the machine.
  // The back of a split serve is its `process` child; tsx's esbuild service is a child too, and no back.
  const backs = treeOf(pid).slice(1).filter((p) => cmdlineOf(p).includes(' process '))
  const backCpu = () => backs.reduce((a, p) => { try { const c = threadCpuOf(p); return a + c.mainS + c.otherS } catch { return a } }, 0)
  const cpu0 = threadCpuOf(pid)
  const b0 = backCpu()
  const m0 = machineCpu()
  const t0 = performance.now()
  const max = await load(serve.url, pool, o.seconds, o.connections, 0, runId)
  const wall = (performance.now() - t0) / 1000
  const cpu1 = threadCpuOf(pid)
  const b1 = backCpu()
  const m1 = machineCpu()
  const cpu = {
    seconds: wall,
    serveMainThreadBusy: (cpu1.mainS - cpu0.mainS) / wall,
    serveOtherThreadsCores: (cpu1.otherS - cpu0.otherS) / wall,
    backProcessCores: (b1 - b0) / wall,
    processes: 1 + backs.length,
    split: backs.length > 0,
    machineBusy: (m1.busy - m0.busy) / (m1.total - m0.total),
    frontCpuMsPerRequest: (1000 * (cpu1.mainS + cpu1.otherS - cpu0.mainS - cpu0.otherS)) / Math.max(1, max.ok2xx),
    backCpuMsPerRequest: (1000 * (b1 - b0)) / Math.max(1, max.ok2xx),
  }
  const fixed = await load(serve.url, pool, o.seconds, o.connections, o.fixedRate, `${runId}f`)
  const rss = treeRssOf(pid)
  const frontRss = rssOf(pid)
  // Every 2xx durable: kill -9 right after the load and count what the log kept.
  let accepted = 0
  for (const r of [max, fixed]) accepted += r.ok2xx
  if (o.cpuProf) await stopGracefully(serve.child)
  else {
    serve.child.proc.kill('SIGKILL')
    await serve.child.exited
  }
  const count = await mode.stored(join(dir, 'serve'), serve.config)
  // Warm-up requests were 2xx too: they are in the log, so stored ≥ accepted (measured runs) must hold.
  const durable = { ...count, acceptedMeasured: accepted, storedAfterKill9: count.stored, ok: count.stored >= accepted }

  const freshness = await benchFreshness(join(dir, 'fresh'), pool, o, mode, runId)
  return { max, fixed, cpu, serveRss: rss, serveIdleRss: idleRss, frontRss, durable, freshness }
}

export async function benchIngest(o: IngestOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'doraflow-bench-ingest-'))
  try {
    const pool = writePool(dir, o.repos, o.pool)
    const ceiling = await measureCeiling(pool, o)
    // doraflow serve (ingest + processors + API in one process), embedded log and ClickHouse.
    return { ...ceiling, ...(await measureServe(dir, pool, o, EMBEDDED)) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Freshness: background load at `freshnessRate` req/s from the load process;
 * meanwhile this process sends probe deployments for the `probe` service and
 * polls GET /api/v1/metrics until each is counted. Time from the probe's 2xx
 * to the first answer that includes it.
 */
async function benchFreshness(dir: string, pool: string, o: IngestOptions, mode: ServeMode, runId: string) {
  const serve = await startServe(dir, o.repos, mode)
  try {
    const seconds = Math.max(o.seconds, Math.ceil(o.freshnessProbes * 2.5) + 6)
    const background = load(serve.url, pool, seconds, Math.min(o.connections, 20), o.freshnessRate, `${runId}r`)
    await sleep(2000)
    const samples: number[] = []
    const day = Date.parse('2025-06-01T00:00:00Z')
    const q = `${serve.url}/api/v1/metrics?service=probe&from=2025-06-01&to=2025-06-02`
    for (let i = 0; i < o.freshnessProbes; i++) {
      const at = new Date(day + i * 60_000).toISOString()
      const d = githubDelivery('deployment_status', statusPayload(PROBE_REPO, 900_000 + i, 9_000_000 + i, 'success', 'production', 'f'.repeat(40), at), `probe-${i}`)
      const res = await fetch(`${serve.url}${d.path}`, { method: 'POST', headers: d.headers, body: d.body })
      if (res.status !== 202) throw new Error(`probe answered ${res.status}`)
      await res.arrayBuffer()
      const t0 = performance.now()
      for (;;) {
        const r = await fetch(q)
        const body = (await r.json()) as { rows: { deployments: number }[] }
        if ((body.rows[0]?.deployments ?? 0) >= i + 1) break
        if (performance.now() - t0 > 60_000) throw new Error('probe not visible after 60 s')
        await sleep(10)
      }
      samples.push(performance.now() - t0)
      await sleep(500)
    }
    const bg = await background
    return { rate: o.freshnessRate, probes: samples.length, p50ms: quantile(samples, 0.5), p95ms: quantile(samples, 0.95), maxms: Math.max(...samples), background: { rps: bg.rps, p99: bg.latency.p99, non2xx: bg.non2xx, errors: bg.errors } }
  } finally {
    await stopGracefully(serve.child)
  }
}
