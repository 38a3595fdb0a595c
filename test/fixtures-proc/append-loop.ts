/**
 * Child process for the crash test: appends envelopes forever, several in
 * flight at once (so group commit is exercised), and prints each id on stdout
 * only after its append resolved, i.e. after it is acknowledged as durable.
 * Usage: node --import tsx append-loop.ts <dir> <prefix>
 */
import { openEmbeddedLog } from '../../log/embedded.ts'
import { envelope } from '../log/fixtures.ts'

const [dir, prefix = 'c'] = process.argv.slice(2)
if (!dir) throw new Error('usage: append-loop.ts <dir> [prefix]')
const log = openEmbeddedLog(dir)
let next = 0

async function worker(): Promise<never> {
  for (;;) {
    const e = envelope(`${prefix}-${next++}`)
    await log.append(e)
    process.stdout.write(`${e.id}\n`)
  }
}

process.stdout.write('ready\n')
await Promise.all(Array.from({ length: 8 }, worker))
