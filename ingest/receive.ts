import type { Request, Response } from 'express'
import type { IngestContext } from './context.ts'
import { buildEnvelope, type EnvelopeFields } from './envelope.ts'
import { unauthorized, unsupportedMediaType } from '../http/errors.ts'
import { requireLoopback } from '../http/loopback.ts'
import { checkContentLength, mediaType, notUtf8, readRawBody, utf8OrNull } from '../http/raw-body.ts'
import { appendAndAccept } from './store.ts'

/** How one delivery route receives: the steps are the same for every source, in this order. */
export interface Receipt {
  /** Accepted media types, the first named first in the 415 message. */
  media: readonly string[]
  /** Appended to the 415 message's list, e.g. " (batches are not supported)". */
  mediaNote?: string
  /**
   * Checks the raw bytes (a signature); false answers 401 with `refused`. Absent: nothing to check.
   * `text` is those bytes decoded, when they are valid UTF-8 (null otherwise), for checkers that sign text.
   */
  verify?: (raw: Buffer, text: string | null) => boolean | Promise<boolean>
  refused?: string
  /**
   * The envelope of the decoded body; its data is the raw text unless the
   * source gives its own (doraflow's API stores the completed record). Throws
   * an HttpError (400) when the body is unusable.
   */
  envelope: (text: string, media: string) => (Omit<EnvelopeFields, 'data'> & { data?: string }) | Promise<Omit<EnvelopeFields, 'data'> & { data?: string }>
  /** Extra fields of the 202 answer, asked for after `envelope` (may look something up, e.g. whether a named record exists). */
  answer?: () => Record<string, unknown> | Promise<Record<string, unknown>>
  /** Body size limit and the setting that names it; default ingest.maxBodyBytes. */
  limit?: { bytes: number; setting: string }
}

/**
 * The receive skeleton of every delivery route: size announced → media type →
 * raw bytes (counted while streaming) → signature over exactly those bytes →
 * UTF-8 → the source's envelope → durable append → 202. Authentication that
 * needs no body (bearer token, loopback) happens before, in `admit`.
 */
export async function receive(ctx: IngestContext, req: Request, res: Response, r: Receipt): Promise<void> {
  const limit = r.limit ?? { bytes: ctx.config.ingest.maxBodyBytes, setting: 'ingest.maxBodyBytes' }
  checkContentLength(req, limit.bytes, limit.setting)
  const media = mediaType(req)
  if (!r.media.includes(media)) throw unsupportedMediaType(`Content-Type must be ${r.media.join(' or ')}${r.mediaNote ?? ''}, got "${media || 'none'}"`)
  const raw = await readRawBody(req, limit.bytes, limit.setting)
  // Signature first, over the raw bytes, before anything looks at the content.
  // Decoded once here: the signature check may want the text, the envelope does (a decode is a pass over the body).
  const text = utf8OrNull(raw)
  if (r.verify && !(await r.verify(raw, text))) throw unauthorized(r.refused ?? 'the request is not authenticated')
  if (text === null) throw notUtf8()
  const fields = await r.envelope(text, media)
  await appendAndAccept(ctx, res, buildEnvelope({ ...fields, data: fields.data ?? text }), await r.answer?.())
}

/**
 * Who may deliver at all: with no secret configured a source is taken from
 * loopback only; with secrets, `credential` (a signature header or token) must
 * be present — whether it is right is checked later (`verify`, or by the caller).
 */
export function admit(req: Request, a: { secured: boolean; what: string; configKey: string; credential: string | undefined; missing: string }): void {
  if (!a.secured) requireLoopback(req, a.what, a.configKey)
  else if (!a.credential) throw unauthorized(a.missing)
}
