/** The source-neutral receive kit: what a source's route (sources/<name>/route.ts) and the annotation API build on. */
export { createIngestRouter, type IngestDeps } from './app.ts'
export type { IngestContext } from './context.ts'
export { buildEnvelope, type EnvelopeFields } from './envelope.ts'
export { route } from './handler.ts'
export { createIngestMetrics, type IngestMetrics } from './metrics.ts'
export { admit, receive, type Receipt } from './receive.ts'
export { appendAndAccept } from './store.ts'
