import { Option, type Command } from 'commander'
import { unauthenticatedSources } from '../sources/index.ts'
import { faultTestHooks } from '../server/fault-hooks.ts'
import { startServer, type Roles } from '../server/start.ts'
import { dieWithFront, serveAsBack, startSplitServe } from '../server/split.ts'
import { startBanner } from './banner.ts'
import { load, logger, runAction, type GlobalOptions } from './context.ts'

/** SIGTERM/SIGINT: stop accepting, finish the batch in flight, commit, close; exit 0 well within 10 s. */
function onSignals(stop: () => Promise<void>): void {
  let stopping = false
  const handler = (sig: string) => {
    if (stopping) return
    stopping = true
    process.stderr.write(`doraflow: ${sig} received, shutting down\n`)
    const force = setTimeout(() => process.exit(1), 9_000)
    force.unref()
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGTERM', () => handler('SIGTERM'))
  process.on('SIGINT', () => handler('SIGINT'))
}

function role(program: Command, name: string, roles: Roles, description: string, example: string): void {
  program
    .command(name)
    .description(description)
    .option('-p, --port <port>', 'listen port (overrides server.port)')
    // Internal: the back of a split serve (server/split.ts) listens on a private unix socket.
    .addOption(new Option('--socket <path>').hideHelp())
    .addHelpText('after', `\nExample:\n  ${example}\n`)
    .action((opts: { port?: string; socket?: string }) =>
      runAction(async () => {
        const { config, file } = load(program.opts<GlobalOptions>())
        if (opts.port !== undefined) config.server.port = Number(opts.port)
        const log = logger()
        if (opts.socket) {
          dieWithFront()
          const back = await startServer(config, log, roles, faultTestHooks(process.env), { socketPath: opts.socket })
          onSignals(back.stop)
          serveAsBack(back)
          return
        }
        if (!file) log.warn('no config file (./doraflow.yaml): running on embedded defaults — data under ./data')
        const open = roles.ingest ? unauthenticatedSources(config) : []
        if (open.length > 0) {
          process.stderr.write(
            '\n  !! WARNING: webhook secrets are not configured for every source.\n' +
              '  !! Unauthenticated webhooks are accepted from loopback (127.0.0.1, ::1) ONLY.\n' +
              `  !! Set them in doraflow.yaml: ${open.join(', ')}.\n\n`,
          )
        }
        // serve: ingest here, processing and the API in a second process (both cores work), on either log.
        const split = roles.ingest && roles.process && config.processor.ownProcess
        const running = split ? await startSplitServe(config, log, { bin: process.argv[1]!, configFile: file ?? null }) : await startServer(config, log, roles, faultTestHooks(process.env))
        onSignals(running.stop)
        process.stdout.write(startBanner(config, running.port, roles))
      }),
    )
}

export function registerServe(program: Command): void {
  role(program, 'serve', { ingest: true, process: true }, 'run the whole pipeline in one process: webhook ingest, processors and the query API', 'doraflow serve --config doraflow.yaml')
  role(program, 'ingest', { ingest: true, process: false }, 'run only webhook ingest (append to the event log); scale it out behind a load balancer', 'doraflow ingest --config doraflow.yaml')
  role(program, 'process', { ingest: false, process: true }, 'run only the processors (event log → ClickHouse) and the query API', 'doraflow process --config doraflow.yaml')
}
