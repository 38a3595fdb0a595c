import type { Request } from 'express'
import { HttpError, badRequest, payloadTooLarge } from './errors.ts'

/** Rejects up front when Content-Length already announces too much. */
export function checkContentLength(req: Request, limit: number, setting?: string): void {
  const header = req.headers['content-length']
  if (header === undefined) return
  const n = Number(header)
  if (Number.isFinite(n) && n > limit) throw payloadTooLarge(limit, setting)
}

/**
 * Reads the raw body, counting bytes while streaming: as soon as the limit is
 * passed it stops buffering and rejects with 413 (chunked bodies have no
 * Content-Length to check up front). Signatures are computed over these bytes.
 */
export function readRawBody(req: Request, limit: number, setting?: string): Promise<Buffer> {
  checkContentLength(req, limit, setting)
  // A body parser mounted before us would have drained the stream: fail loudly instead of hanging.
  if (req.readableEnded) {
    return Promise.reject(new HttpError(500, 'internal', 'request body was already consumed; mount the ingest router before any body parser'))
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const cleanup = () => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      req.off('aborted', onAborted)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        cleanup()
        chunks.length = 0
        // Keep discarding what is still in flight: the route's answer drains the rest
        // (bounded, http/early-answer.ts) so the client can read the 413.
        req.resume()
        req.on('error', () => {})
        reject(payloadTooLarge(limit, setting))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      cleanup()
      resolve(Buffer.concat(chunks, size))
    }
    const onError = (err: Error) => {
      cleanup()
      reject(badRequest(`could not read the request body: ${err.message}`))
    }
    const onAborted = () => onError(new Error('client aborted the request'))
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('aborted', onAborted)
  })
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** The body as text when it is valid UTF-8, else null (one decode serves the signature check and the envelope). */
export function utf8OrNull(body: Buffer): string | null {
  try {
    return utf8.decode(body)
  } catch {
    return null
  }
}

/** The 400 for a body that is not UTF-8: the envelope stores the body as text byte for byte. */
export const notUtf8 = () => badRequest('request body is not valid UTF-8')

export function decodeUtf8(body: Buffer): string {
  const text = utf8OrNull(body)
  if (text === null) throw notUtf8()
  return text
}

/** `application/json; charset=utf-8` → `application/json`. */
export function mediaType(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
}

export function header(req: Request, name: string): string | undefined {
  const v = req.headers[name]
  const s = Array.isArray(v) ? v[0] : v
  return s === undefined || s === '' ? undefined : s
}
