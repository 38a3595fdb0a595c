import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { openEmbeddedLog, type EmbeddedLog, type EmbeddedLogFaults } from '../../log/embedded.ts'
import { LogError } from '../../log/types.ts'
import { envelope, tmpLogDir } from './fixtures.ts'

const open: EmbeddedLog[] = []
afterEach(async () => {
  for (const log of open.splice(0)) await log.close()
})

/** A log whose faults can be switched on and off by the test. */
function faultyLog(dir: string, mode: { current: 'none' | 'readonly' | 'full' }): EmbeddedLog {
  const faults: EmbeddedLogFaults = {
    // query_only makes SQLite itself refuse writes (SQLITE_READONLY), as on a read-only disk.
    beforeBatch: (db) => void db.pragma(`query_only = ${mode.current === 'readonly' ? 1 : 0}`),
    // Fails after the inserts ran, before COMMIT: the rows must be rolled back.
    beforeCommit: () => {
      if (mode.current === 'full') throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL')
    },
  }
  const log = openEmbeddedLog(dir, { faults })
  open.push(log)
  return log
}

describe.each(['readonly', 'full'] as const)('append under a %s fault', (fault) => {
  it('rejects the whole batch retriably, stores nothing of it, keeps earlier entries, recovers', async () => {
    const dir = tmpLogDir()
    const mode = { current: 'none' as 'none' | 'readonly' | 'full' }
    const log = faultyLog(dir, mode)
    const before = await log.appendMany([envelope('e1'), envelope('e2')])
    await log.commit('processor', before[1]!.offset)

    mode.current = fault
    const batch = ['f1', 'f2', 'f3'].map((id) => log.append(envelope(id)))
    const settled = await Promise.allSettled(batch)
    for (const s of settled) {
      expect(s.status).toBe('rejected')
      const reason = (s as PromiseRejectedResult).reason
      expect(reason).toBeInstanceOf(LogError)
      expect(reason.retriable).toBe(true)
      expect(reason.message).toContain(fault === 'full' ? 'SQLITE_FULL' : 'SQLITE_READONLY')
    }
    expect(log.stats.failedTransactions).toBe(1)
    // Reads still work during the fault; nothing of the failed batch is visible.
    expect((await log.read(0, 10)).map((l) => l.envelope.id)).toEqual(['generic:e1', 'generic:e2'])

    mode.current = 'none'
    const retried = await log.appendMany(['f1', 'f2', 'f3'].map((id) => envelope(id)))
    expect(retried.every((r) => !r.duplicate)).toBe(true)
    await log.close()

    const reopened = openEmbeddedLog(dir)
    open.push(reopened)
    expect((await reopened.read(0, 10)).map((l) => l.envelope.id)).toEqual(
      ['e1', 'e2', 'f1', 'f2', 'f3'].map((id) => `generic:${id}`),
    )
    expect(await reopened.committedOffset('processor')).toBe(before[1]!.offset)
  })
})

describe('healthy()', () => {
  it('reports false while writes are refused, true again afterwards', async () => {
    const dir = tmpLogDir()
    const mode = { current: 'none' as 'none' | 'readonly' | 'full' }
    const log = faultyLog(dir, mode)
    expect(await log.healthy()).toBe(true)
    mode.current = 'readonly'
    await expect(log.append(envelope('x'))).rejects.toBeInstanceOf(LogError) // leaves query_only on
    expect(await log.healthy()).toBe(false)
    mode.current = 'none'
    await log.append(envelope('y'))
    expect(await log.healthy()).toBe(true)
    // The health probe leaves no trace.
    expect(await log.committedOffset('__doraflow_healthcheck')).toBe(0)
  })

  it('reports false while another connection holds the write lock', async () => {
    const dir = tmpLogDir()
    const log = openEmbeddedLog(dir, { busyTimeoutMs: 50 })
    open.push(log)
    const other = new Database(`${dir}/events.db`)
    other.exec('BEGIN IMMEDIATE')
    try {
      expect(await log.healthy()).toBe(false)
      // And an append waiting for the lock fails retriably (SQLITE_BUSY).
      await expect(log.append(envelope('busy'))).rejects.toMatchObject({ name: 'LogError', retriable: true })
    } finally {
      other.exec('ROLLBACK')
      other.close()
    }
    expect(await log.healthy()).toBe(true)
    await log.append(envelope('busy'))
  })
})
