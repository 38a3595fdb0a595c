import { badRequest } from '../../http/errors.ts'

/**
 * The JSON text of a GitHub delivery. Hooks set to
 * `application/x-www-form-urlencoded` send the JSON in the `payload` field;
 * the envelope keeps the raw form body (signed bytes), so parsers call this
 * with `doraflowheaders['content-type']` to get the JSON back.
 */
export function githubPayloadText(body: string, contentType: string | undefined): string {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  if (media !== 'application/x-www-form-urlencoded') return body
  const payload = new URLSearchParams(body).get('payload')
  if (payload === null) throw badRequest('form-encoded GitHub body has no "payload" field')
  return payload
}
