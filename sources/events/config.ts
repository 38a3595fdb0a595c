import { z } from 'zod'
import { secretList } from '../../config/fields.ts'

/** `events:` in the configuration: bearer tokens of POST /events (CDEvents defines no signature). */
export const eventsConfig = z.object({ tokens: secretList }).prefault({})
