import { Gauge, type Registry } from 'prom-client'
import type { KafkaLog } from '../log/kafka.ts'

/** The Kafka spool's figures, in the process that appends (and so owns the spool). */
export function registerSpoolMetrics(register: Registry, log: KafkaLog): void {
  new Gauge({
    name: 'doraflow_spool_depth',
    help: 'deliveries held in the local spool because Kafka was unreachable, not yet forwarded',
    registers: [register],
    collect() {
      this.set(log.state().spoolDepth)
    },
  })
  new Gauge({
    name: 'doraflow_spool_forward_lag_seconds',
    help: 'age of the oldest spooled delivery not yet forwarded to Kafka (0 when the spool is empty)',
    registers: [register],
    collect() {
      this.set(log.state().forwardLagSeconds)
    },
  })
}
