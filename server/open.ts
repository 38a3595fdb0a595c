import type { Config } from '../config/schema.ts'
import { openClickHouse, type Db } from '../clickhouse/client.ts'
import { migrate } from '../clickhouse/migrations.ts'
import { openEmbeddedLog, type EmbeddedLog, type EmbeddedLogOptions } from '../log/embedded.ts'
import type { EventLog } from '../log/types.ts'
import type { Logger } from 'pino'

export type AppLog = EventLog & { onAppend?: EmbeddedLog['onAppend'] }

export interface OpenLogOptions extends Pick<EmbeddedLogOptions, 'writer'> {
  /** false: this process only reads (a processor): it leaves a Kafka spool to the ingest that owns it. */
  appends?: boolean
}

/** The event log the config names. */
export async function openLog(config: Config, logger?: Logger, opts: OpenLogOptions = {}): Promise<AppLog> {
  switch (config.log.kind) {
    case 'embedded':
      return openEmbeddedLog(config.log.path, { writer: opts.writer })
    case 'kafka': {
      const { openKafkaLog } = await import('../log/kafka.ts')
      return openKafkaLog(config, { logger, forwardSpool: opts.appends ?? true })
    }
    default: {
      const never: never = config.log.kind
      throw new Error(`unknown log kind ${String(never)}`)
    }
  }
}

/** ClickHouse with the schema migrated. */
export async function openDb(config: Config): Promise<Db> {
  const db = await openClickHouse(config.clickhouse)
  await migrate(db, config.clickhouse.cluster)
  return db
}
