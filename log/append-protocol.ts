/** Messages between the embedded log and its writer thread (log/append-worker.ts). */

/** One envelope as the events table stores it: id, subject, type, the attributes' JSON, the raw body. */
export type Row = [id: string, subject: string, type: string, attributes: string, data: string]

export interface WriterInit {
  path: string
  busyTimeoutMs: number
}

export interface BatchRequest {
  id: number
  rows: Row[]
}

/** Per row: the offset, and whether it collapsed into an envelope already stored. */
export type BatchReply = { id: number; ok: true; results: [offset: number, duplicate: boolean][] } | { id: number; ok: false; code: string | null; message: string }
