import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openEmbeddedLog as openWith, type EmbeddedLog, type EmbeddedLogOptions } from '../../log/embedded.ts'
import { envelope, tmpLogDir } from './fixtures.ts'

const open: EmbeddedLog[] = []
// Every case runs with the appends on the caller's thread and on the writer thread (the serve front's).
let writer: EmbeddedLogOptions['writer'] = 'inline'
const openEmbeddedLog = (dir: string, opts: EmbeddedLogOptions = {}) => openWith(dir, { writer, ...opts })
function openLog(dir: string): EmbeddedLog {
  const log = openEmbeddedLog(dir)
  open.push(log)
  return log
}
afterEach(async () => {
  for (const log of open.splice(0)) await log.close()
})

describe.each(['inline', 'thread'] as const)('embedded event log, %s writer', (w) => {
  beforeEach(() => {
    writer = w
  })

  it('creates the directory and the database, starts empty', async () => {
    const dir = tmpLogDir()
    const log = openLog(dir)
    expect(existsSync(join(dir, 'events.db'))).toBe(true)
    expect(await log.headOffset()).toBe(0)
    expect(await log.count()).toBe(0)
    expect(await log.read(0, 10)).toEqual([])
    expect(await log.committedOffset('processor')).toBe(0)
    expect(await log.healthy()).toBe(true)
  })

  it('appends and reads in offset order, with limit and afterOffset', async () => {
    const log = openLog(tmpLogDir())
    const results = []
    for (const id of ['a', 'b', 'c', 'd']) results.push(await log.append(envelope(id)))
    const offsets = results.map((r) => r.offset)
    expect(offsets).toEqual([...offsets].sort((x, y) => x - y))
    expect(new Set(offsets).size).toBe(4)
    expect(results.every((r) => !r.duplicate)).toBe(true)

    const all = await log.read(0, 100)
    expect(all.map((l) => l.envelope.id)).toEqual(['a', 'b', 'c', 'd'].map((id) => `generic:${id}`))
    expect(all[0]?.envelope).toEqual(envelope('a'))
    const page = await log.read(offsets[1]!, 1)
    expect(page.map((l) => l.offset)).toEqual([offsets[2]])
    expect(await log.headOffset()).toBe(offsets[3])
  })

  it('collapses a redelivery onto the original', async () => {
    const log = openLog(tmpLogDir())
    const first = await log.append(envelope('x'))
    await log.append(envelope('y'))
    const again = await log.append({ ...envelope('x'), time: '2030-01-01T00:00:00.000Z' })
    expect(again).toEqual({ id: 'generic:x', duplicate: true, offset: first.offset })
    expect(await log.count()).toBe(2)
    // The stored envelope is the first delivery's.
    expect((await log.read(0, 10))[0]?.envelope.time).toBe('2024-05-01T12:00:00.000Z')
  })

  it('dedupes within one group-commit batch too', async () => {
    const log = openLog(tmpLogDir())
    const [a, b] = await Promise.all([log.append(envelope('same')), log.append(envelope('same'))])
    expect(a?.duplicate).toBe(false)
    expect(b).toEqual({ id: 'generic:same', duplicate: true, offset: a?.offset })
    expect(log.stats.transactions).toBe(1)
    expect(await log.count()).toBe(1)
  })

  it('persists envelopes and consumer offsets across close/reopen', async () => {
    const dir = tmpLogDir()
    const log = openEmbeddedLog(dir)
    await log.appendMany(['1', '2', '3'].map((id) => envelope(id)))
    await log.commit('processor', 2)
    await log.commit('other', 1)
    await log.commit('processor', 3)
    await log.close()

    const reopened = openLog(dir)
    expect(await reopened.count()).toBe(3)
    expect(await reopened.headOffset()).toBe(3)
    expect(await reopened.committedOffset('processor')).toBe(3)
    expect(await reopened.committedOffset('other')).toBe(1)
    // Offsets continue after the old head.
    expect((await reopened.append(envelope('4'))).offset).toBe(4)
  })

  it('group-commits concurrent appends into fewer transactions', async () => {
    const dir = tmpLogDir()
    const log = openEmbeddedLog(dir)
    const ids = Array.from({ length: 100 }, (_, i) => `g${i}`)
    const results = await Promise.all(ids.map((id) => log.append(envelope(id))))
    expect(results).toHaveLength(100)
    expect(new Set(results.map((r) => r.offset)).size).toBe(100)
    expect(log.stats.transactions).toBeGreaterThanOrEqual(1)
    expect(log.stats.transactions).toBeLessThan(100)
    expect(log.stats.appended).toBe(100)
    await log.close()

    const reopened = openLog(dir)
    const read = await reopened.read(0, 1000)
    expect(read.map((l) => l.envelope.id).sort()).toEqual(ids.map((id) => `generic:${id}`).sort())
  })

  it('splits a burst larger than maxBatch and keeps results in caller order', async () => {
    const log = openEmbeddedLog(tmpLogDir(), { maxBatch: 10 })
    open.push(log)
    const results = await log.appendMany(Array.from({ length: 35 }, (_, i) => envelope(`m${i}`)))
    expect(results.map((r) => r.id)).toEqual(Array.from({ length: 35 }, (_, i) => `generic:m${i}`))
    expect(log.stats.transactions).toBe(4)
  })

  it('wakes in-process subscribers after commit, until unsubscribed', async () => {
    const log = openLog(tmpLogDir())
    const heads: number[] = []
    const unsubscribe = log.onAppend(async (head) => {
      heads.push(head)
      // Called after commit: the new rows are readable already.
      expect((await log.read(head - 1, 1))[0]?.offset).toBe(head)
    })
    await log.appendMany([envelope('s1'), envelope('s2')])
    await log.append(envelope('s1')) // duplicate only: nothing new, no wake-up
    unsubscribe()
    await log.append(envelope('s3'))
    expect(heads).toEqual([2])
  })

  it('a throwing subscriber does not fail the append', async () => {
    const log = openLog(tmpLogDir())
    log.onAppend(() => {
      throw new Error('buggy consumer')
    })
    await expect(log.append(envelope('ok'))).resolves.toMatchObject({ duplicate: false })
  })

  it('close flushes pending appends, then rejects further use', async () => {
    const dir = tmpLogDir()
    const log = openEmbeddedLog(dir)
    const pending = log.append(envelope('late'))
    await log.close()
    await expect(pending).resolves.toMatchObject({ duplicate: false })
    await expect(log.append(envelope('after'))).rejects.toMatchObject({ name: 'LogError', retriable: false })
    await expect(log.read(0, 1)).rejects.toMatchObject({ name: 'LogError' })
    expect(await log.healthy()).toBe(false)
    expect(await openLog(dir).count()).toBe(1)
  })

  it('rejects an invalid commit offset', async () => {
    const log = openLog(tmpLogDir())
    await expect(log.commit('g', -1)).rejects.toMatchObject({ name: 'LogError', retriable: false })
    await expect(log.commit('g', 1.5)).rejects.toMatchObject({ name: 'LogError' })
  })

  it('uses WAL with synchronous=FULL', async () => {
    const dir = tmpLogDir()
    await openEmbeddedLog(dir).close()
    const seen: unknown[] = []
    const log = openEmbeddedLog(dir, {
      faults: {
        beforeBatch: (db) => {
          seen.push(db.pragma('journal_mode', { simple: true }), db.pragma('synchronous', { simple: true }))
        },
      },
    })
    open.push(log)
    await log.append(envelope('p'))
    expect(seen).toEqual(['wal', 2]) // 2 = FULL
  })
})
