export { createIngestRouter, type IngestDeps } from './app.ts'
export { githubPayloadText } from './github-body.ts'
export { isLoopback } from './loopback.ts'
