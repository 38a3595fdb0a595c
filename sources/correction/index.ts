import { defineSource } from '../source.ts'
import { CORRECTIONS_ROUTING, parseCorrection } from './parse.ts'

/**
 * Corrections (METRICS.md §18), written by doraflow's own API (api/corrections.ts,
 * `doraflow correct`): no webhook route, no configuration. One routing for all of them:
 * every projection reads every correction (processors/recompute.ts), and one Kafka key
 * keeps them in order.
 */
export const correction = defineSource({
  name: 'correction',
  parsers: { correction: parseCorrection },
  routing: {
    ofSubject: () => CORRECTIONS_ROUTING,
    ofService: () => [],
  },
})
