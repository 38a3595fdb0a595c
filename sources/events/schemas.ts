import { z } from 'zod'

/** CloudEvents 1.0 structured mode (application/cloudevents+json) carrying a CDEvent in `data`. */
export const cloudEventStructuredSchema = z.looseObject({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  type: z.string().min(1).meta({ example: 'dev.cdevents.service.deployed.0.3.0' }),
  source: z.string().min(1),
  subject: z.string().optional(),
  data: z.looseObject({}).meta({ description: 'the CDEvent' }),
})

/** A bare CDEvent (application/json, no CloudEvents wrapper): recognised by context.type. */
export const cdeventSchema = z.looseObject({
  context: z.looseObject({
    id: z.string().min(1),
    type: z.string().regex(/^dev\.cdevents\./).meta({ example: 'dev.cdevents.service.deployed.0.3.0' }),
  }),
  subject: z.looseObject({}).optional(),
})

