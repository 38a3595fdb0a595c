import { z } from 'zod'
import { nonEmpty } from '../../http/json.ts'

/** PagerDuty V3: one event per request. */
export const pagerdutyBodySchema = z.looseObject({
  event: z.looseObject(
    {
      id: nonEmpty('event.id'),
      event_type: nonEmpty('event.event_type').meta({ example: 'incident.triggered' }),
    },
    { error: 'body has no "event" object' },
  ),
})

