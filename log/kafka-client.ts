/** One place that builds kafkajs clients from the config, and creates the topic. */
import { Kafka, logLevel, type Admin, type logCreator } from 'kafkajs'
import type { Logger } from 'pino'
import type { Config } from '../config/schema.ts'

/**
 * kafkajs logs every retry of an unreachable broker at ERROR; during a
 * planned broker restart that is noise. Its messages go to our logger at
 * debug; doraflow logs its own decisions (spooling, pausing) at warn.
 */
function toPino(logger?: Logger): logCreator {
  return () =>
    ({ namespace, log }) => {
      if (!logger) return
      const { message, ...extra } = log
      logger.debug({ kafkajs: namespace, ...extra }, String(message))
    }
}

export function kafkaClient(config: Config, opts: { logger?: Logger; suffix?: string } = {}): Kafka {
  return new Kafka({
    clientId: opts.suffix ? `${config.log.clientId}-${opts.suffix}` : config.log.clientId,
    brokers: config.log.brokers,
    connectionTimeout: 1000,
    requestTimeout: 10_000,
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 2000 },
    logLevel: logLevel.INFO,
    logCreator: toPino(opts.logger),
  })
}

/** Creates the topic with the configured partitions and replication if it is missing. */
export async function ensureTopic(admin: Admin, config: Config): Promise<boolean> {
  const { topic, partitions, replicationFactor } = config.log
  const existing = await admin.listTopics()
  if (existing.includes(topic)) return false
  try {
    return await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor }],
      waitForLeaders: true,
    })
  } catch (e) {
    // Two replicas starting together: the other one created it.
    if (/already exists/i.test((e as Error).message)) return false
    throw e
  }
}
