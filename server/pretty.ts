import { build } from 'pino-pretty'

/**
 * Human-readable log lines when they go to a terminal, JSON lines otherwise (a file,
 * a pipe, a container's log collector). DORAFLOW_LOG_FORMAT=json|pretty overrides.
 * The logs go to stderr, so that is the terminal asked about.
 */
export function wantsPretty(destination: NodeJS.WritableStream, env: NodeJS.ProcessEnv): boolean {
  if (env.DORAFLOW_LOG_FORMAT === 'json') return false
  if (env.DORAFLOW_LOG_FORMAT === 'pretty') return true
  return (destination as { isTTY?: boolean }).isTTY === true
}

/** pino-pretty in this thread (no worker): a line written is a line on the screen, also right before exit. */
export function prettyStream(destination: NodeJS.WritableStream) {
  return build({
    destination,
    sync: true,
    colorize: (destination as { isTTY?: boolean }).isTTY === true && !process.env.NO_COLOR,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
    singleLine: true,
  })
}
