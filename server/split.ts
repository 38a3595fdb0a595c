import { fork, type ChildProcess } from 'node:child_process'
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
export type FrontMessage = { type: 'metrics'; id: number }

/**
 * `doraflow serve` on the embedded log, as two processes so both cores work:
 * this one (the front) takes the webhooks and appends them to the SQLite log;
 * a child `doraflow process` (the back) reads the log, owns the ClickHouse
 * engine and serves the API behind the front (SQLite WAL serves both).
 * The back dies with the front: it exits when the IPC channel closes, which
 * happens however the front ends, kill -9 included.
 */
export async function startSplitServe(config: Config, logger: Logger, cli: { bin: string; configFile: string | null }): Promise<RunningFront> {
  const dir = mkdtempSync(join(tmpdir(), 'doraflow-')) // 0700: only this user can reach the back
  const socketPath = join(dir, 'back.sock')
  const args = [...(cli.configFile ? ['--config', cli.configFile] : []), 'process', '--socket', socketPath]
  const child = fork(cli.bin, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const pending = new Map<number, (m: MetricObjectWithValues<MetricValue<string>>[]) => void>()
  let nextId = 0
  let stopping = false
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (m: BackMessage) => {
      if (m.type === 'ready') resolve()
      else if (m.type === 'metrics') pending.get(m.id)?.(m.metrics)
    })
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
  const front = await startIngestFront(config, logger, { socketPath, metrics })
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

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  await exited
}

/** In the back: answer the front's metrics requests, announce readiness, die with the front. */
export function serveAsBack(running: Running): void {
  process.on('message', async (m: FrontMessage) => {
    if (m.type === 'metrics') process.send?.({ type: 'metrics', id: m.id, metrics: await running.register.getMetricsAsJSON() } satisfies BackMessage)
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
