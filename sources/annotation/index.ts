import { defineSource } from '../source.ts'
import { parseAnnotation } from './parse.ts'

/**
 * Notes on the timeline, written by doraflow's own API (api/annotations.ts,
 * `doraflow annotate`): no webhook route, no configuration. One routing per
 * annotation keeps its addition and removal in order; no service claims it.
 */
export const annotation = defineSource({
  name: 'annotation',
  parsers: { annotation: parseAnnotation },
  routing: {
    ofSubject: (id) => `annotation:${id}`,
    ofService: () => [],
  },
})
