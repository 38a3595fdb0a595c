import type { Command } from 'commander'
import { SingleBar, Presets } from 'cli-progress'
import { replay } from '../processors/replay.ts'
import { openDb, openLog } from '../server/open.ts'
import { load, runAction, type GlobalOptions } from './context.ts'

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('rebuild every ClickHouse table from the event log (after a parser fix, a config change, or to recover)')
    .addHelpText(
      'after',
      `
Stop \`doraflow serve\`/\`process\` first: the processors must not write while the tables are rebuilt
(with the embedded engine, a running serve also holds the data directory).

Example:
  doraflow replay --config doraflow.yaml
`,
    )
    .action(() =>
      runAction(async () => {
        const { config } = load(program.opts<GlobalOptions>())
        const log = await openLog(config)
        const db = await openDb(config)
        const tty = process.stderr.isTTY
        const bar = new SingleBar({ format: ' {phase} [{bar}] {percentage}% | {value}/{total}', stream: process.stderr, noTTYOutput: false }, Presets.shades_classic)
        let phase = ''
        const started = Date.now()
        const result = await replay(log, db, config, (p) => {
          if (p.phase !== phase) {
            if (phase) bar.stop()
            phase = p.phase
            bar.start(p.total, p.done, { phase: p.phase === 'facts' ? 'reading the log  ' : 'projecting services' })
          } else bar.update(p.done)
          if (!tty && p.done === p.total) process.stderr.write(`${p.phase}: ${p.done}/${p.total}\n`)
        })
        bar.stop()
        await log.close()
        await db.close()
        const s = ((Date.now() - started) / 1000).toFixed(1)
        process.stdout.write(
          `replayed ${result.events} events in ${s}s: ${result.facts} facts, ${result.dropped} ignored, ${result.deadLettered} dead letters, ${result.services} services\n`,
        )
      }),
    )
}
