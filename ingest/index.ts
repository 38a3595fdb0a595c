export { createIngestRouter, type IngestDeps } from './app.ts'
export { githubPayloadText } from '../sources/github/body.ts'
export { isLoopback } from '../http/loopback.ts'
