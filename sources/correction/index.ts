import { defineSource } from '../source.ts'
import { CORRECTIONS_ROUTING, parseCorrection } from './parse.ts'

/**
 * Corrections (METRICS.md §18), written by doraflow's own API (api/corrections.ts,
 * `doraflow correct`): no webhook route, no configuration. Their facts share one routing
 * (every projection reads every correction, processors/recompute.ts). The envelope's subject
 * is the routing of the record the correction names, when the API found it, so in Kafka mode
 * it lands in that service group's partition and "one writer per service" holds; else
 * `corrections`.
 */
export const correction = defineSource({
  name: 'correction',
  parsers: { correction: parseCorrection },
  routing: {
    ofSubject: (subject) => subject || CORRECTIONS_ROUTING,
    ofService: () => [],
  },
})
