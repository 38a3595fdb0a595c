import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { caughtUp, readBacklog } from '../../server/lag.ts'
import { doraflow, freePort, waitHealthy, type Child } from '../helpers/child.ts'
import { eventually, githubDelivery, pushPayload, send } from '../helpers/payloads.ts'
import { kafkaAvailable, kafkaConfig, requireOrSkip } from '../helpers/services.ts'

const SECRET = 'split-secret'

/** The processes under `pid` (children first found through /proc). */
function childrenOf(pid: number): number[] {
  const kids: number[] = []
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const file = `/proc/${pid}/task/${task}/children`
    if (existsSync(file)) kids.push(...readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number))
  }
  return kids
}

/** Whether a process is the back of a split serve: its command line is `… process --socket …`. */
const isBack = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('process')

function backOf(pid: number): number {
  const back = childrenOf(pid).find(isBack)
  if (back === undefined) throw new Error(`no processor process under ${pid}`)
  return back
}

/** Field `n` (1-based, as proc(5) numbers them) of a /proc/…/stat file. */
function statField(file: string, n: number): number {
  const stat = readFileSync(file, 'utf8')
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[n - 3])
}

/** Scheduling policy of every thread of `pid` (field 41: 0 SCHED_OTHER, 5 SCHED_IDLE). */
const policies = (pid: number) => new Set(readdirSync(`/proc/${pid}/task`).map((task) => statField(`/proc/${pid}/task/${task}/stat`, 41)))

/** Envelopes the processor has taken from the log, whatever their outcome. */
async function processed(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text()
  return [...text.matchAll(/^doraflow_processor_envelopes_total\{[^}]*\} (\S+)$/gm)].reduce((a, m) => a + Number(m[1]), 0)
}

/** The nice value of a process's main thread (field 19). */
const niceOf = (pid: number) => statField(`/proc/${pid}/stat`, 19)

let serve: Child | null = null
afterEach(stop)

async function stop(): Promise<void> {
  serve?.proc.kill('SIGTERM')
  await serve?.exited
  serve = null
}

/** `doraflow serve` on a fresh data folder with a GitHub secret and `extra` YAML. */
async function start(extra: string): Promise<{ url: string; pid: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'doraflow-split-'))
  const port = await freePort()
  writeFileSync(join(dir, 'doraflow.yaml'), `server: {port: ${port}, host: 127.0.0.1}\ngithub: {webhookSecrets: [${SECRET}]}\n${extra}`)
  serve = doraflow(['serve'], dir)
  const url = `http://127.0.0.1:${port}`
  await waitHealthy(url, serve)
  return { url, pid: serve.proc.pid! }
}

const linuxWithChrt = process.platform === 'linux' && (() => {
  try {
    execFileSync('chrt', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

/**
 * Issue 10 §2: `serve` is two processes; the back (processor + API) runs at a lower CPU
 * priority (processor.cpuPriority) so a burst's CPU goes to answering deliveries, and the front
 * wakes it after each commit so that processing does not wait for the next poll.
 */
describe('split serve: the processor process', () => {
  it('is woken by the front after a commit: processed long before its next poll', async () => {
    // A poll every 10 minutes: only the front's wake-up can get the delivery processed in time.
    const { url } = await start('processor: {pollIntervalMs: 600000}\n')
    await eventually(async () => (caughtUp(await readBacklog(url)) ? true : undefined), 30_000, 'the first poll at start')
    expect(await processed(url)).toBe(0)
    const sha = 'a'.repeat(40)
    const d = githubDelivery('push', pushPayload({ repo: 'acme/split', before: '0'.repeat(40), after: sha, commits: [{ id: sha, timestamp: '2025-06-01T10:00:00Z' }] }), SECRET)
    expect((await send(url, d)).status).toBe(202)
    const t0 = Date.now()
    await eventually(async () => ((await processed(url)) >= 1 && caughtUp(await readBacklog(url)) ? true : undefined), 20_000, 'the push to be processed without waiting for the poll')
    expect(Date.now() - t0).toBeLessThan(20_000)
  }, 90_000)

  it.runIf(linuxWithChrt)('runs the back at nice 10 by default, every thread at SCHED_IDLE with cpuPriority: idle, as the front with normal', async () => {
    const low = await start('')
    const back = backOf(low.pid)
    expect(policies(back)).toEqual(new Set([0]))
    expect(niceOf(back)).toBe(10)
    expect(niceOf(low.pid)).toBe(0)
    await stop()
    const idle = await start('processor: {cpuPriority: idle}\n')
    expect(policies(backOf(idle.pid))).toEqual(new Set([5]))
    expect(policies(idle.pid)).toEqual(new Set([0]))
    await stop()
    const normal = await start('processor: {cpuPriority: normal}\n')
    expect(policies(backOf(normal.pid))).toEqual(new Set([0]))
    expect(niceOf(backOf(normal.pid))).toBe(0)
  }, 120_000)
})

const hasKafka = requireOrSkip('kafka', await kafkaAvailable())

/**
 * On Kafka too: the front owns the producer and its spool (its /metrics and /readyz report
 * them), the back is the consumer-group member that processes and serves the API; the
 * partitions of a fetch are processed as one batch (processors/coalesce.ts).
 */
describe.runIf(hasKafka)('split serve on Kafka', () => {
  it('ingest in the front, processing in the back: every delivery processed, the spool reported by the front', async () => {
    const topic = `doraflow-split-${Date.now()}`
    const { url, pid } = await start(`log: {kind: kafka, brokers: [${kafkaConfig().brokers.join(', ')}], topic: ${topic}, partitions: 3, replicationFactor: 1}\nprocessor: {group: ${topic}}\n`)
    expect(childrenOf(pid).some(isBack)).toBe(true)
    // Six repositories, so the pushes land on several partitions and fetches carry more than one.
    for (let i = 0; i < 30; i++) {
      const sha = i.toString(16).padStart(40, '0')
      const d = githubDelivery('push', pushPayload({ repo: `acme/kafka-${i % 6}`, before: '0'.repeat(40), after: sha, commits: [{ id: sha, timestamp: '2025-06-01T10:00:00Z' }] }), SECRET)
      expect((await send(url, d)).status).toBe(202)
    }
    await eventually(async () => ((await processed(url)) >= 30 && caughtUp(await readBacklog(url)) ? true : undefined), 60_000, 'all 30 pushes processed through Kafka')
    const metrics = await (await fetch(`${url}/metrics`)).text()
    expect(metrics).toMatch(/^doraflow_spool_depth 0$/m)
    const ready = (await (await fetch(`${url}/readyz`)).json()) as { status: string; kafka?: { mode: string; spoolDepth: number } }
    expect(ready.status).toBe('ready')
    expect(ready.kafka).toMatchObject({ mode: 'direct', spoolDepth: 0 })
  }, 120_000)
})

if (!linuxWithChrt) console.log('test/e2e/split.test.ts: the CPU priority check needs Linux with chrt (util-linux); not run here')
