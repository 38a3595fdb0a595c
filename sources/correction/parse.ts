/** Corrections written by doraflow's API or CLI (domain/correction-schema.ts) → CorrectionRecorded. */
import { correctionRecordSchema } from './schema.ts'
import type { Envelope } from '../../contracts/envelope.ts'
import { ok, type ParseOutcome } from '../../contracts/events.ts'
import { BadField, guard, parseJson, zodCode } from '../fields.ts'

/** Every correction is filed under one routing: any service's projection may need any of them. */
export const CORRECTIONS_ROUTING = 'corrections'

export function parseCorrection(env: Envelope): ParseOutcome {
  return guard('correction', () => {
    const parsed = correctionRecordSchema.safeParse(parseJson(env.data))
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new BadField(`${issue?.path.length ? issue.path.join('.') : 'body'}: ${issue?.message ?? 'invalid'}`, zodCode(issue))
    }
    const { kind: _, ...c } = parsed.data
    return ok([{ type: 'CorrectionRecorded', key: `correction:${c.id}`, routing: CORRECTIONS_ROUTING, ...c }])
  })
}
