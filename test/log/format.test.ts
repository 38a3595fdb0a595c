import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openEmbeddedLog } from '../../log/embedded.ts'
import { envelope, tmpLogDir } from './fixtures.ts'

describe('embedded log storage format', () => {
  it('keeps the raw body byte for byte in a column of its own and gives back the envelope it was given', async () => {
    const dir = tmpLogDir()
    const log = openEmbeddedLog(dir)
    const e = { ...envelope('a'), data: '{"weird": "quotes \\" and \\u00e9 and\\nnewlines", "n": 1.50}' }
    await log.append(e)
    expect((await log.read(0, 10))[0]!.envelope).toEqual(e)
    await log.close()
    const raw = new Database(join(dir, 'events.db'), { readonly: true })
    const row = raw.prepare('SELECT envelope, data FROM events').get() as { envelope: string; data: string }
    raw.close()
    expect(row.data).toBe(e.data)
    expect(JSON.parse(row.envelope)).not.toHaveProperty('data')
  })

  it('reads logs written before the body had its own column (body inside the envelope JSON)', async () => {
    const dir = tmpLogDir()
    mkdirSync(dir, { recursive: true })
    const old = new Database(join(dir, 'events.db'))
    old.exec(`CREATE TABLE events ("offset" INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, subject TEXT, type TEXT, envelope TEXT NOT NULL);
              CREATE TABLE consumer_offsets (grp TEXT PRIMARY KEY, "offset" INTEGER NOT NULL);`)
    const e1 = envelope('old')
    old.prepare('INSERT INTO events (id, subject, type, envelope) VALUES (?, ?, ?, ?)').run(e1.id, e1.subject, e1.type, JSON.stringify(e1))
    old.close()
    const log = openEmbeddedLog(dir)
    const e2 = envelope('new')
    await log.append(e2)
    expect((await log.read(0, 10)).map((x) => x.envelope)).toEqual([e1, e2])
    await log.close()
  })
})
