import { pino, type Logger } from 'pino'
import { ALL_SOURCES } from '../sources/index.ts'
import { prettyStream, wantsPretty } from './pretty.ts'

/**
 * Secrets never reach the logs: every path that can hold one is redacted,
 * whatever object a caller logs.
 */
export const REDACT_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'webhookSecrets',
  '*.webhookSecrets',
  '*.*.webhookSecrets',
  'tokens',
  '*.tokens',
  '*.*.tokens',
  'adminTokens',
  '*.adminTokens',
  '*.*.adminTokens',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  // Each source's signature headers (sources/<name>/index.ts secretHeaders).
  ...ALL_SOURCES.flatMap((s) => s.secretHeaders ?? []).flatMap((h) => [`req.headers["${h}"]`, `headers["${h}"]`]),
  // …and the secret keys of their configuration slices (secretKeys), wherever a config object is logged.
  ...ALL_SOURCES.flatMap((s) => s.secretKeys ?? []).flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  'headers.cookie',
  'req.headers.cookie',
  'token',
  'apiToken',
  '*.apiToken',
  '*.token',
  'secret',
  '*.secret',
]

export function createLogger(opts: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const options = { level: opts.level ?? process.env.DORAFLOW_LOG_LEVEL ?? 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }
  // A person at a terminal reads lines; a collector reads JSON (redaction applies to both: pino redacts before the stream).
  if (opts.destination && wantsPretty(opts.destination, process.env)) return pino(options, prettyStream(opts.destination))
  return pino(options, opts.destination as never)
}
