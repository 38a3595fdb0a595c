/** One entry point: an envelope → domain events, by the source that ingested it. */
import type { Envelope } from '../../domain/envelope.ts'
import { dlq, type ParseOutcome } from '../../domain/events.ts'
import { parseAnnotation } from './annotation.ts'
import { parseCdevents, parseGeneric } from './generic.ts'
import { parseGithub } from './github.ts'
import { parsePagerduty } from './pagerduty.ts'
import { parseGitlab } from '../../sources/gitlab/parse.ts'
import { parseIncidentio } from '../../sources/incidentio/parse.ts'
import { parseJira } from '../../sources/jira/parse.ts'

export { parseAnnotation, parseCdevents, parseGeneric, parseGithub, parsePagerduty }

export function parseEnvelope(env: Envelope): ParseOutcome {
  switch (env.doraflowsource) {
    case 'github':
      return parseGithub(env)
    case 'pagerduty':
      return parsePagerduty(env)
    case 'generic':
      return parseGeneric(env)
    case 'cdevents':
      return parseCdevents(env)
    case 'annotation':
      return parseAnnotation(env)
    case 'gitlab':
      return parseGitlab(env)
    case 'incidentio':
      return parseIncidentio(env)
    case 'jira':
      return parseJira(env)
    default: {
      // Compile time: every source is handled. Run time (a foreign log record): dead letter, not a throw.
      const unknown: never = env.doraflowsource
      return dlq(`unknown doraflowsource ${JSON.stringify(unknown)}`)
    }
  }
}
