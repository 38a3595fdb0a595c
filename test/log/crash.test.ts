/**
 * Crash safety with a real process and SIGKILL: every id the child printed
 * (printed only after its append resolved) must be in the log after reopen.
 * Note: kill -9 keeps the OS page cache, so this proves "ack only after
 * commit", not fsync against power loss (that is synchronous=FULL's job).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { openEmbeddedLog } from '../../log/embedded.ts'
import { tmpLogDir } from './fixtures.ts'

const script = fileURLToPath(new URL('../fixtures-proc/append-loop.ts', import.meta.url))
const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** Starts the appender; collects acknowledged ids line by line. */
function startAppender(dir: string, prefix: string) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, dir, prefix], {
    cwd: repoRoot, // `--import tsx` resolves tsx from here
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const acked: string[] = []
  let ready = false
  let stderr = ''
  let partial = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n')
    partial = lines.pop() ?? '' // an unterminated line is not an acknowledgement yet
    for (const line of lines) line === 'ready' ? (ready = true) : acked.push(line)
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const closed = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('close', (code, signal) => resolve(signal ?? code)),
  )
  return { child, acked, closed, isReady: () => ready, stderr: () => stderr }
}

describe('crash safety (kill -9 of a real appender process)', () => {
  it('keeps every acknowledged append, across repeated crashes, and a second process sees commits live', async () => {
    const dir = tmpLogDir()
    // This process keeps the log open the whole time, like `process` next to `ingest`.
    const observer = openEmbeddedLog(dir)
    const allAcked: string[] = []
    try {
      for (const [round, killAfter] of [[1, 37], [2, 211], [3, 5 + Math.floor(Math.random() * 400)]] as const) {
        const run = startAppender(dir, `r${round}`)
        await waitFor(`child ready (stderr: ${run.stderr()})`, () => run.isReady() || run.child.exitCode !== null)
        expect(run.child.exitCode, run.stderr()).toBeNull()

        // The observer's reads see the child's commits while it runs.
        const headBefore = await observer.headOffset()
        await waitFor('observer sees new commits', async () => (await observer.headOffset()) > headBefore)

        await waitFor(`${killAfter} acks`, () => run.acked.length >= killAfter)
        run.child.kill('SIGKILL') // mid-flight: appends are in progress right now
        expect(await run.closed).toBe('SIGKILL')
        expect(run.acked.length).toBeGreaterThanOrEqual(killAfter)
        allAcked.push(...run.acked)

        const reopened = openEmbeddedLog(dir)
        try {
          const rows = await reopened.read(0, 1_000_000)
          const stored = new Set(rows.map((r) => r.envelope.id))
          const missing = allAcked.filter((id) => !stored.has(id))
          expect(missing).toEqual([])
          const offsets = rows.map((r) => r.offset)
          for (let i = 1; i < offsets.length; i++) expect(offsets[i]!).toBeGreaterThan(offsets[i - 1]!)
          expect(stored.size).toBe(rows.length) // ids unique
          expect(await reopened.healthy()).toBe(true)
        } finally {
          await reopened.close()
        }
      }
    } finally {
      await observer.close()
    }

    const db = new Database(`${dir}/events.db`, { readonly: true })
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    } finally {
      db.close()
    }
  })
})
