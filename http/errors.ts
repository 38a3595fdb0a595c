import type { Response } from 'express'

/**
 * An HTTP answer decided by ingest (never thrown for storage outages as 4xx).
 * Every error body is JSON `{ error, message }` so senders' delivery logs and
 * operators see what was wrong; never a stack trace.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { headers?: Record<string, string>; details?: Record<string, unknown> } = {},
  ) {
    super(message)
    this.name = 'HttpError'
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) => new HttpError(400, 'bad_request', message, details ? { details } : {})
export const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message)
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message)
export const unsupportedMediaType = (message: string) => new HttpError(415, 'unsupported_media_type', message)
/** The connection is closed after a 413: the rest of an oversized body is not worth reading. */
export const payloadTooLarge = (limit: number, setting = 'ingest.maxBodyBytes') =>
  new HttpError(413, 'payload_too_large', `request body exceeds the limit of ${limit} bytes (${setting})`, { headers: { Connection: 'close' } })
/** Retry-After tells PagerDuty (which retries 5xx) and humans when to come back. */
export const unavailable = (message: string, retryAfterSeconds = 5) =>
  new HttpError(503, 'unavailable', message, { headers: { 'Retry-After': String(retryAfterSeconds) } })

export function sendError(res: Response, err: HttpError): void {
  if (res.headersSent) return
  for (const [k, v] of Object.entries(err.extra.headers ?? {})) res.setHeader(k, v)
  res.status(err.status).json({ error: err.code, message: err.message, ...(err.extra.details ?? {}) })
}

export function sendInternalError(res: Response): void {
  if (res.headersSent) return
  res.status(500).json({ error: 'internal', message: 'internal error while ingesting the request; see the server log' })
}
