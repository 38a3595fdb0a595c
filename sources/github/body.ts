/**
 * The JSON text of a GitHub delivery. Hooks set to
 * `application/x-www-form-urlencoded` send the JSON in the `payload` field;
 * the envelope keeps the raw form body (signed bytes), so the parser calls this
 * with `doraflowheaders['content-type']` to get the JSON back. Null: a form
 * without a `payload` field (each caller answers that its own way).
 */
export function githubPayloadText(body: string, contentType: string | undefined): string | null {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  if (media !== 'application/x-www-form-urlencoded') return body
  return new URLSearchParams(body).get('payload')
}
