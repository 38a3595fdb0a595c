import { z } from 'zod'
import { genericFlagSchema, genericRolloutSchema } from './release-generic-schema.ts'
import { hexSha, isoInstant, name } from './schema-parts.ts'

/**
 * doraflow's own JSON for deployments and incidents from any tool (POST /events).
 * Shared by ingest (validation: 400 naming the bad field) and the generic parser.
 */

export const genericDeploymentSchema = z
  .object({
    kind: z.literal('deployment'),
    /** Identity of the deployment. */
    id: name,
    service: name,
    team: name.optional(),
    environment: name,
    sha: hexSha.optional(),
    artifact: z.string().min(1).max(2048).optional(),
    deployedAt: isoInstant,
    status: z.enum(['success', 'failure', 'error']).default('success'),
    rollback: z.boolean().default(false),
    url: z.string().max(2048).optional(),
    /** Optional delivery id; by default `deployment:<id>:<status>`. */
    eventId: name.optional(),
  })
  .refine((d) => d.sha !== undefined || d.artifact !== undefined, { message: 'a deployment needs sha or artifact (what was deployed)', path: ['sha'] })

export const genericIncidentSchema = z.object({
  kind: z.literal('incident'),
  id: name,
  service: name,
  team: name.optional(),
  status: z.enum(['detected', 'acknowledged', 'resolved', 'reopened']),
  /** When this status change happened. */
  at: isoInstant,
  /** When the incident started, if not `at` of its `detected` event. */
  startedAt: isoInstant.optional(),
  title: z.string().max(4096).optional(),
  description: z.string().max(65536).optional(),
  /** The deployed sha or artifact this incident is about: an explicit link. */
  sha: hexSha.optional(),
  artifact: z.string().min(1).max(2048).optional(),
  urgency: z.string().max(64).optional(),
  priority: z.string().max(64).optional(),
  url: z.string().max(2048).optional(),
  eventId: name.optional(),
})

export const genericEventSchema = z.discriminatedUnion('kind', [genericDeploymentSchema, genericIncidentSchema, genericFlagSchema, genericRolloutSchema])
export type GenericEvent = z.infer<typeof genericEventSchema>
export type GenericDeployment = z.infer<typeof genericDeploymentSchema>
export type GenericIncident = z.infer<typeof genericIncidentSchema>

/** The delivery id of a generic event: redeliveries of the same report collapse. */
export function genericDeliveryId(e: GenericEvent): string {
  if (e.kind === 'flag' || e.kind === 'rollout') return `${e.kind}:${e.id}`
  if (e.eventId) return e.eventId
  return e.kind === 'deployment' ? `deployment:${e.id}:${e.status}` : `incident:${e.id}:${e.status}:${e.at}`
}
