/**
 * The immutable record that ingest appends to the event log: a CloudEvents 1.0
 * event (structured JSON) whose `data` is the sender's raw body, unchanged.
 *
 * The `id` derives from the sender's delivery id (GitHub `X-GitHub-Delivery`,
 * PagerDuty `X-Webhook-Id` / `event.id`, CloudEvents `ce-id`, our own `id`),
 * so a redelivery maps onto the same envelope and the log collapses it.
 */
import type { EnvelopeKind } from '../sources/index.ts'

/** Which source's parser owns an envelope: the parser keys of sources/index.ts SOURCES (github, pagerduty, generic, cdevents, annotation). */
export type EnvelopeSource = EnvelopeKind

export interface Envelope {
  specversion: '1.0'
  /** Deterministic: `${source}:${delivery id}`. */
  id: string
  /** e.g. `/webhooks/github/hooks/123`, `/webhooks/pagerduty`, `/events`. */
  source: string
  /** e.g. `com.github.push`, `com.pagerduty.incident.resolved`, `dev.doraflow.generic.deployment`, `dev.cdevents.service.deployed.0.3.0`. */
  type: string
  /** Ingest time (ISO 8601, UTC, ms). Informational only: no metric reads it. */
  time: string
  /** Ordering/partition key: repository full name (lowercase), PagerDuty service id, or service name. */
  subject: string
  datacontenttype: 'application/json'
  /** Which parser owns this envelope. */
  doraflowsource: EnvelopeSource
  /** Selected request headers the parsers need (lowercase names), e.g. x-github-event. */
  doraflowheaders: Record<string, string>
  /** The sender's raw body as UTF-8 text, byte for byte. */
  data: string
}

/** An envelope as stored in a log, with its position. */
export interface LoggedEnvelope {
  offset: number
  envelope: Envelope
}
