/**
 * What `doraflow import pagerduty` writes into the event log: one envelope per
 * incident with its log entries (the entries alone name no service, urgency or
 * title). An incident that did not change since the last import is the same
 * envelope again, which the log stores once.
 */
import { buildEnvelope } from '../../../ingest/envelope.ts'
import type { Envelope } from '../../../contracts/envelope.ts'

export interface PagerdutyApiRecord {
  resource: 'incident'
  incident: Record<string, unknown>
  log_entries: Record<string, unknown>[]
}

export const PAGERDUTY_API_TYPE = 'com.pagerduty.api.incident'

export function pagerdutyApiEnvelope(r: PagerdutyApiRecord, now?: Date): Envelope {
  const service = r.incident['service'] as { id?: unknown } | undefined
  const entries = r.log_entries.map((e) => String(e['id'])).sort().join(',')
  return buildEnvelope(
    {
      source: 'pagerduty-api',
      deliveryId: `incident:${String(r.incident['id'])}:${String(r.incident['last_status_change_at'] ?? r.incident['updated_at'] ?? '')}:${entries}`,
      path: '/import/pagerduty',
      type: PAGERDUTY_API_TYPE,
      subject: String(service?.id ?? ''),
      headers: {},
      data: JSON.stringify(r),
    },
    now,
  )
}
