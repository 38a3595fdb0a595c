/**
 * The server backend of clickhouse/client.ts over HTTP against a real
 * ClickHouse server — Debian's 18.16, which cannot run doraflow's schema
 * (no DateTime64, no query parameters, no lightweight DELETE), so this tests
 * the transport path only: connect, auth, batched insert and read back,
 * error mapping, and a stopped server (retriable) that comes back. The full
 * SQL is tested on the embedded engine (current ClickHouse) and, over HTTP,
 * through test/chdb-http in test/faults.
 *
 * The stop/start part runs a PRIVATE server (own ports and data dir, same
 * scripts) so other suites on the shared one are not disturbed.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { DbError, openClickHouse, type Db } from '../../clickhouse/client.ts'
import type { Config } from '../../config/schema.ts'
import { freePort } from '../helpers/child.ts'
import { clickhouseConfig, clickhouseServerAvailable, requireOrSkip } from '../helpers/services.ts'

const execFileP = promisify(execFile)
const ROOT = resolve(import.meta.dirname, '../..')
const hasServer = requireOrSkip('clickhouse-server', await clickhouseServerAvailable())

function cfg(over: Partial<Config['clickhouse']> = {}): Config['clickhouse'] {
  const c = clickhouseConfig()
  return { kind: 'server', path: '', url: c.url, username: c.username, password: c.password, database: 'doraflow_transport', cluster: null, ...over }
}

async function rejection(p: Promise<unknown>): Promise<DbError> {
  const e = await p.then(() => null, (x: unknown) => x)
  expect(e).toBeInstanceOf(DbError)
  return e as DbError
}

describe.runIf(hasServer)('ClickHouse server over HTTP (Debian 18.16: transport path)', () => {
  let db: Db | null = null
  afterAll(async () => {
    await db?.close()
  })

  it('connects, authenticates, inserts a batch and reads it back', async () => {
    db = await openClickHouse(cfg())
    expect(db.kind).toBe('server')
    expect(await db.ping()).toBe(true)
    await db.command('DROP TABLE IF EXISTS transport_rows')
    await db.command('CREATE TABLE transport_rows (id String, n UInt32, body String) ENGINE = MergeTree ORDER BY id')
    const rows = Array.from({ length: 5000 }, (_, i) => ({ id: `r-${i}`, n: i, body: `line "${i}"\ttab ünïcode` }))
    await db.insert('transport_rows', rows) // one HTTP request, JSONEachRow body
    const [agg] = await db.query<{ c: string; s: string }>('SELECT count() AS c, sum(n) AS s FROM transport_rows')
    expect(Number(agg!.c)).toBe(5000)
    expect(Number(agg!.s)).toBe((4999 * 5000) / 2)
    const [one] = await db.query<{ body: string }>("SELECT body FROM transport_rows WHERE id = 'r-7'")
    expect(one!.body).toBe('line "7"\ttab ünïcode')
  })

  it('maps a wrong query to a non-retriable DbError with the server code', async () => {
    const e = await rejection(db!.query('SELECT * FROM no_such_table'))
    expect(e).toMatchObject({ code: '60', retriable: false })
  })

  it('maps a bad password and an unknown user to non-retriable DbErrors', async () => {
    const bad = await rejection(openClickHouse(cfg({ password: 'wrong' })))
    expect(bad).toMatchObject({ code: '193', retriable: false })
    const unknown = await rejection(openClickHouse(cfg({ username: 'nobody' })))
    expect(unknown).toMatchObject({ code: '192', retriable: false })
  })

  it('a stopped server is a retriable DbError; started again, the same Db works', async () => {
    const vendor = mkdtempSync(join(tmpdir(), 'doraflow-chserver-'))
    const http = await freePort()
    const env = { ...process.env, DORAFLOW_VENDOR_DIR: vendor, DORAFLOW_CLICKHOUSE_HTTP_PORT: String(http), DORAFLOW_CLICKHOUSE_TCP_PORT: String(await freePort()) }
    const start = () => execFileP('bash', [join(ROOT, 'scripts/clickhouse-server/start.sh')], { env })
    const stop = () => execFileP('bash', [join(ROOT, 'scripts/clickhouse-server/stop.sh')], { env })
    await start()
    let own: Db | null = null
    try {
      own = await openClickHouse(cfg({ url: `http://127.0.0.1:${http}` }))
      await own.command('CREATE TABLE IF NOT EXISTS t (id String) ENGINE = MergeTree ORDER BY id')
      await own.insert('t', [{ id: 'before' }])
      await stop()
      const down = await rejection(own.insert('t', [{ id: 'during' }]))
      expect(down.retriable).toBe(true)
      expect(await own.ping()).toBe(false)
      await start()
      await own.insert('t', [{ id: 'after' }])
      const ids = (await own.query<{ id: string }>('SELECT id FROM t ORDER BY id')).map((r) => r.id)
      expect(ids).toEqual(['after', 'before'])
      console.log(`clickhouse-server 18.16: stopped → ${down.message.slice(0, 60)} (retriable); restarted → rows ${ids.join(', ')}`)
    } finally {
      await own?.close()
      await stop()
    }
  })
})
