/** Annotations written by doraflow's API (sources/annotation/schema.ts) → AnnotationAdded / AnnotationRemoved. */
import { annotationRecordSchema } from './schema.ts'
import type { Envelope } from '../../contracts/envelope.ts'
import { ok, type ParseOutcome } from '../../contracts/events.ts'
import { BadField, guard, parseJson, zodCode } from '../fields.ts'

export function parseAnnotation(env: Envelope): ParseOutcome {
  return guard('annotation', () => {
    const parsed = annotationRecordSchema.safeParse(parseJson(env.data))
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new BadField(`${issue?.path.length ? issue.path.join('.') : 'body'}: ${issue?.message ?? 'invalid'}`, zodCode(issue))
    }
    const a = parsed.data
    const base = { key: `annotation:${a.id}:${a.action}`, routing: `annotation:${a.id}`, id: a.id, at: a.at }
    if (a.action === 'removed') return ok([{ type: 'AnnotationRemoved', ...base }])
    return ok([{ type: 'AnnotationAdded', ...base, endAt: a.endAt, text: a.text, tags: a.tags, service: a.service, team: a.team }])
  })
}
