/**
 * How far a running doraflow is behind what it acknowledged, from its own Prometheus
 * figures: processor lag (log head − committed offset, which moves only after
 * ClickHouse accepted) and, in Kafka mode, the spool. Waiting on a partial figure
 * instead ("2 incidents") races with the rest of a batch.
 */
export interface Backlog {
  lag: number | null
  spool: number | null
}

export function parseBacklog(prometheusText: string): Backlog {
  const figure = (name: string) => {
    const v = new RegExp(`^${name} (\\S+)$`, 'm').exec(prometheusText)?.[1]
    return v === undefined ? null : Number(v)
  }
  return { lag: figure('doraflow_processor_lag_events'), spool: figure('doraflow_spool_depth') }
}

export async function readBacklog(url: string, headers: Record<string, string> = {}): Promise<Backlog> {
  const res = await fetch(`${url}/metrics`, { headers, signal: AbortSignal.timeout(5000) })
  return parseBacklog(await res.text())
}

/** Everything acknowledged is in ClickHouse: lag 0 and (Kafka) an empty spool. */
export const caughtUp = (b: Backlog) => b.lag === 0 && (b.spool === null || b.spool === 0)
