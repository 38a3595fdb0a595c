import { Counter, Gauge, type Registry } from 'prom-client'
import type { OverloadReason } from './backpressure.ts'

export interface EdgeMetrics {
  /** A delivery refused by backpressure (503): a GitHub one is a lost event, so it is counted apart. */
  refused(source: string, reason: OverloadReason): void
}

/** Reuses already registered metrics so building the edge twice on one registry does not throw. */
export function createEdgeMetrics(register: Registry | undefined, bytesInFlight: () => number): EdgeMetrics {
  if (!register) return { refused: () => {} }
  const refused =
    (register.getSingleMetric('doraflow_ingest_refused_total') as Counter<'source' | 'reason'> | undefined) ??
    new Counter({
      name: 'doraflow_ingest_refused_total',
      help: 'deliveries answered 503 by backpressure, by source and reason (bytes_in_flight, shed_retrying, heap, disk_low); GitHub does not retry them',
      labelNames: ['source', 'reason'],
      registers: [register],
    })
  if (!register.getSingleMetric('doraflow_ingest_bytes_in_flight')) {
    new Gauge({
      name: 'doraflow_ingest_bytes_in_flight',
      help: 'bytes of webhook bodies being read or waiting for the event log writer',
      registers: [register],
      collect() {
        this.set(bytesInFlight())
      },
    })
  }
  return { refused: (source, reason) => refused.inc({ source, reason }) }
}
