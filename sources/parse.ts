/** One entry point: an envelope → domain events, by the source that wrote it (sources/index.ts). */
import type { Envelope } from '../contracts/envelope.ts'
import { dlq, type ParseOutcome } from '../contracts/events.ts'
import { sourceOfKind } from './index.ts'

export function parseEnvelope(env: Envelope): ParseOutcome {
  // Compile time: the kind is one of the sources'. Run time (a foreign log record): a dead letter, not a throw.
  const s = sourceOfKind(env.doraflowsource)
  return s ? s.parse(env) : dlq(`unknown doraflowsource ${JSON.stringify(env.doraflowsource)}`, 'unknown_source')
}
