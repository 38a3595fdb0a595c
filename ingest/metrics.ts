import { Counter, Histogram, type Registry } from 'prom-client'

export interface IngestMetrics {
  request(source: string, status: number): void
  /** Starts an append timer; call the result when the append settles. */
  appendTimer(source: string): (outcome: 'ok' | 'error') => void
}

const noop: IngestMetrics = { request: () => {}, appendTimer: () => () => {} }

/** Reuses already registered metrics so building the router twice on one registry does not throw. */
export function createIngestMetrics(register?: Registry): IngestMetrics {
  if (!register) return noop
  const requests =
    (register.getSingleMetric('doraflow_ingest_requests_total') as Counter<'source' | 'status'> | undefined) ??
    new Counter({ name: 'doraflow_ingest_requests_total', help: 'Ingest HTTP requests by source and answered status', labelNames: ['source', 'status'], registers: [register] })
  const append =
    (register.getSingleMetric('doraflow_ingest_append_seconds') as Histogram<'source' | 'outcome'> | undefined) ??
    new Histogram({
      name: 'doraflow_ingest_append_seconds',
      help: 'Latency of appending an envelope to the event log (the request is answered after it)',
      labelNames: ['source', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [register],
    })
  // The labelled children once per label set: prom-client hashes the label object on every
  // inc()/observe() otherwise, and these run on every delivery.
  const requestOf = labelled((source: string, status: number) => requests.labels({ source, status: String(status) }))
  const appendOf = labelled((source: string, outcome: string) => append.labels({ source, outcome }))
  return {
    request: (source, status) => requestOf(source, status).inc(),
    appendTimer: (source) => {
      const t0 = performance.now()
      return (outcome) => appendOf(source, outcome).observe((performance.now() - t0) / 1000)
    },
  }
}

/** `make(a, b)`, made once per (a, b). */
function labelled<B extends string | number, C>(make: (a: string, b: B) => C): (a: string, b: B) => C {
  const made = new Map<string, C>()
  return (a, b) => {
    const key = `${a} ${b}`
    let c = made.get(key)
    if (c === undefined) made.set(key, (c = make(a, b)))
    return c
  }
}
