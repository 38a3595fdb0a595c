import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'
import type { BatchReply, BatchRequest, Row, WriterInit } from './append-protocol.ts'

/**
 * The embedded log's writer thread: the group-commit transaction and its
 * fsync run here, so the event loop that reads requests keeps reading the
 * next batch while this one is made durable. Same pragmas as the main
 * connection (log/embedded.ts): WAL, synchronous=FULL, BEGIN IMMEDIATE.
 */
const init = workerData as WriterInit
const db = new Database(init.path)
db.pragma(`busy_timeout = ${Math.trunc(init.busyTimeoutMs)}`)
db.pragma('journal_mode = WAL')
db.pragma('synchronous = FULL')
const insert = db.prepare<Row, void>('INSERT INTO events (id, subject, type, envelope, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING')
const offsetOf = db.prepare<[string], { offset: number }>('SELECT "offset" AS offset FROM events WHERE id = ?')
const tx = db.transaction((rows: Row[]) =>
  rows.map((row): [number, boolean] => {
    const info = insert.run(...row)
    if (info.changes === 1) return [Number(info.lastInsertRowid), false]
    const original = offsetOf.get(row[0])
    if (!original) throw new Error(`append ${row[0]}: conflict but no row`)
    return [original.offset, true]
  }),
)

parentPort!.on('message', (req: BatchRequest | 'close') => {
  if (req === 'close') {
    db.close()
    parentPort!.close()
    return
  }
  let reply: BatchReply
  try {
    reply = { id: req.id, ok: true, results: tx.immediate(req.rows) }
  } catch (error) {
    const code = error instanceof Database.SqliteError ? error.code : null
    reply = { id: req.id, ok: false, code, message: error instanceof Error ? error.message : String(error) }
  }
  parentPort!.postMessage(reply)
})
