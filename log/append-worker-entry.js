// Entry of the embedded log's writer thread (log/append-worker.ts): worker threads do not
// inherit the tsx loader of the main thread, so it is registered here, as bin/doraflow.js does.
import { register } from 'tsx/esm/api'
register()
await import('./append-worker.ts')
