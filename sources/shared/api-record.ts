/**
 * The parsers of imported records (`github-api`, `gitlab-api`): an envelope's
 * body is `{resource, …}`; each resource has its reader, an unknown one is a
 * dead letter (a newer doraflow wrote it, or the log was edited).
 */
import type { Envelope } from '../../contracts/envelope.ts'
import { dlq, type ParseOutcome } from '../../contracts/events.ts'
import { BadField, guard, isObj, parseJson, str } from '../fields.ts'

export function apiRecordParser(kind: string, readers: Record<string, (p: Record<string, unknown>) => ParseOutcome>): (env: Envelope) => ParseOutcome {
  return (env) =>
    guard(kind, () => {
      const p = parseJson(env.data)
      if (!isObj(p)) throw new BadField('body must be a JSON object', 'bad_json')
      const resource = str(p, 'resource')
      const read = Object.hasOwn(readers, resource) ? readers[resource] : undefined
      return read ? read(p) : dlq(`${kind}: unknown resource ${JSON.stringify(resource)}`, 'bad_field')
    })
}
