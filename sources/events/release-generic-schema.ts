import { z } from 'zod'
import { hexSha, isoInstant, name } from './schema-parts.ts'

/**
 * doraflow's own JSON for flag changes and rollout steps (POST /events,
 * INTERFACE.md): beside `deployment` and `incident` in the one union of
 * sources/events/generic-schema.ts. `id` is the delivery identity.
 */
const pct = z.number({ message: 'must be a number 0–100 (a percentage)' }).min(0, 'must be 0–100 (a percentage)').max(100, 'must be 0–100 (a percentage)')

export const genericFlagSchema = z.object({
  kind: z.literal('flag'),
  id: name,
  flag: name,
  /** Optional: without it the `flags` globs of the services decide, then `project`. */
  service: name.optional(),
  project: name.optional(),
  environment: name,
  exposure: pct,
  changedAt: isoInstant,
  actor: z.string().max(512).optional(),
})

export const ROLLOUT_PHASES = ['progressing', 'paused', 'completed', 'aborted', 'failed'] as const

export const genericRolloutSchema = z.object({
  kind: z.literal('rollout'),
  id: name,
  rollout: name,
  service: name,
  environment: name.optional(),
  weight: pct.nullable().optional(),
  phase: z.enum(ROLLOUT_PHASES),
  at: isoInstant,
  sha: hexSha.optional(),
  /** The rollout's current step (Argo Rollouts `status.currentStepIndex`), when the tool has steps. */
  step: z.number().int().min(0).nullable().optional(),
  /** Who sent it: `argo` for the Argo Rollouts notification template (deploy/argo-rollouts/). */
  source: z.enum(['argo', 'generic']).default('generic'),
  message: z.string().max(4096).optional(),
})

export type GenericFlag = z.infer<typeof genericFlagSchema>
export type GenericRollout = z.infer<typeof genericRolloutSchema>
