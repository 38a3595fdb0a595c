import { z } from 'zod'

/**
 * The attribution rules of METRICS.md §16 and §18 as configuration (under `metrics`): data,
 * applied at projection time, so a change applies to history after a replay.
 */
const regex = z.string().min(1).refine((p) => {
  try {
    new RegExp(p, 'i')
    return true
  } catch {
    return false
  }
}, { message: 'not a valid regular expression' })

export const DEFAULT_AI_ASSISTANTS = ['Copilot', 'Claude', 'Cursor', 'Devin', 'Codex', 'Gemini']

export const rulesConfig = {
  /** §16: logins of bot accounts besides those ending in `[bot]`. */
  botAuthors: z.array(z.string().min(1)).default([]),
  /** §16: names matched (case-insensitive substring) in Co-authored-by trailers and agent logins. */
  aiAssistants: z.array(z.string().min(1)).default(DEFAULT_AI_ASSISTANTS),
  /** §16: leave bot changes out of lead time. */
  excludeBots: z.boolean().default(false),
  /** §18: incidents that never fail a deployment (they still count in time to restore). */
  nonChangeIncidents: z
    .object({
      labels: z.array(z.string().min(1)).default([]),
      pagerdutyPriorities: z.array(z.string().min(1)).default([]),
      urgencies: z.array(z.string().min(1)).default([]),
      titlePatterns: z.array(regex).default([]),
    })
    .prefault({}),
}
