import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Logger } from 'pino'
import type { MetricObjectWithValues, MetricValue } from 'prom-client'
import type { Config } from '../config/schema.ts'
import { startIngestFront, type RunningFront } from './front.ts'
import type { Running } from './start.ts'

/** IPC between the front and the back of a split serve. */
export type BackMessage = { type: 'ready' } | { type: 'metrics'; id: number; metrics: MetricObjectWithValues<MetricValue<string>>[] }
export type FrontMessage = { type: 'metrics'; id: number } | { type: 'appended' }

/**
 * `doraflow serve` as two processes so both cores work: this one (the front)
 * takes the webhooks and appends them to the log (the SQLite file, or Kafka
 * through its producer and spool); a child `doraflow process` (the back) reads
 * the log, owns the ClickHouse engine and serves the API behind the front
 * (SQLite WAL serves both; on Kafka the back is a consumer-group member).
 * The back dies with the front: it exits when the IPC channel closes, which
 * happens however the front ends, kill -9 included.
 */
export async function startSplitServe(config: Config, logger: Logger, cli: { bin: string; configFile: string | null }): Promise<RunningFront> {
  const dir = mkdtempSync(join(tmpdir(), 'doraflow-')) // 0700: only this user can reach the back
  const socketPath = join(dir, 'back.sock')
  const args = [...(cli.configFile ? ['--config', cli.configFile] : []), 'process', '--socket', socketPath]
  const child = startBack(cli.bin, args, config.processor.cpuPriority)
  const pending = new Map<number, (m: MetricObjectWithValues<MetricValue<string>>[]) => void>()
  let nextId = 0
  let stopping = false
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (m: BackMessage) => {
      if (m.type === 'ready') resolve()
      else if (m.type === 'metrics') pending.get(m.id)?.(m.metrics)
    })
    child.once('error', (err) => reject(new Error(`the processor process could not be started: ${err.message}`)))
    child.once('exit', (code, signal) => {
      reject(new Error(`the processor process exited during start (code ${code}, signal ${signal})`))
      if (stopping) return
      // Without its processor and API serve is not serve: exit, for the supervisor to restart both.
      logger.fatal({ code, signal }, 'the processor process exited; stopping serve')
      process.exit(1)
    })
  })
  await ready
  const metrics = () =>
    new Promise<MetricObjectWithValues<MetricValue<string>>[]>((resolve, reject) => {
      const id = nextId++
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(new Error('no metrics from the processor process within 5 s'))
      }, 5_000)
      pending.set(id, (m) => {
        clearTimeout(timer)
        pending.delete(id)
        resolve(m)
      })
      child.send({ type: 'metrics', id } satisfies FrontMessage)
    })
  // The back would otherwise see new envelopes at its next poll (processor.pollIntervalMs):
  // one message per few milliseconds of commits wakes it instead (freshness).
  let wakeQueued = false
  const appended = () => {
    if (wakeQueued || !child.connected) return
    wakeQueued = true
    setTimeout(() => {
      wakeQueued = false
      if (child.connected) child.send({ type: 'appended' } satisfies FrontMessage)
    }, 5)
  }
  const front = await startIngestFront(config, logger, { socketPath, metrics, appended })
  return {
    port: front.port,
    stop: async () => {
      stopping = true
      await front.stop()
      await stopChild(child)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * The back, at a lower CPU priority than the front (processor.cpuPriority): on two cores a burst
 * would otherwise split them between answering and processing, and an answer is what a sender
 * waits for while processing may lag (measured: nice 10 still cost ingest a quarter of its rate,
 * SCHED_IDLE almost nothing; docs/PERFORMANCE.md). Started through chrt(1)/nice(1) so that every
 * thread of the back (V8's, libuv's, chdb's) has that priority, not just its main thread (Linux
 * schedules threads, and a later sched_setscheduler(2) would miss the threads already running).
 * The IPC channel survives the exec: both keep the descriptor node passes in NODE_CHANNEL_FD.
 */
function startBack(bin: string, args: string[], priority: 'idle' | 'low' | 'normal'): ChildProcess {
  const stdio: ['ignore', 'inherit', 'inherit', 'ipc'] = ['ignore', 'inherit', 'inherit', 'ipc']
  const node = [process.execPath, ...process.execArgv, bin, ...args]
  // chrt is util-linux's (on every Linux); where SCHED_IDLE is missing or refused (a seccomp
  // profile may deny sched_setscheduler) nice 19 is the nearest. chrt, unlike nice, does not run the
  // command when it cannot set the policy: it is tried on `true` first, so serve starts all the same.
  if (priority === 'idle' && succeeds('chrt', ['--idle', '0', 'true'])) return spawn('chrt', ['--idle', '0', ...node], { stdio })
  const niceness = priority === 'idle' ? '19' : '10'
  if (priority !== 'normal' && succeeds('nice', ['-n', niceness, 'true'])) return spawn('nice', ['-n', niceness, ...node], { stdio })
  return fork(bin, args, { stdio })
}

/** Runs a command to its end: false when it is missing or fails. */
function succeeds(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 5000 })
    return true
  } catch {
    return false
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  await exited
}

/** In the back: answer the front's metrics requests, announce readiness, die with the front. */
export function serveAsBack(running: Running): void {
  process.on('message', async (m: FrontMessage) => {
    if (m.type === 'appended') running.processor?.wake()
    else if (m.type === 'metrics') process.send?.({ type: 'metrics', id: m.id, metrics: await running.register.getMetricsAsJSON() } satisfies BackMessage)
  })
  process.send?.({ type: 'ready' } satisfies BackMessage)
}

/** Called first thing in the back: the front may die while the back is still starting. */
export function dieWithFront(): void {
  // The front is gone (stopped or killed): nothing is lost by stopping now, every step is idempotent.
  // SIGKILL rather than process.exit(): exit runs chdb's static destructors, which can wait for its
  // thread pools for ever with the engine still open (seen: an orphaned back in futex_wait).
  const die = () => process.kill(process.pid, 'SIGKILL')
  if (!process.connected) die()
  process.once('disconnect', die)
}
