import type { Logger } from 'pino'
import type { Config } from '../config/schema.ts'
import type { EventLog } from '../log/types.ts'
import type { IngestMetrics } from './metrics.ts'

/** What every ingest route needs. */
export interface IngestContext {
  config: Config
  log: EventLog
  logger?: Logger
  metrics: IngestMetrics
}
