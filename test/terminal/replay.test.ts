import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { quarterDeliveries, quarterServicesYaml } from '../../generator/quarter.ts'
import { openEmbeddedLog } from '../../log/embedded.ts'
import { envelopeOf } from '../../bench/lib/workload.ts'
import { BIN, freePort } from '../helpers/child.ts'
import { HAVE_TMUX, IN_CI, Tmux } from './tmux.ts'

describe.skipIf(!HAVE_TMUX && !IN_CI)('doraflow replay in a real terminal (tmux)', () => {
  let term: Tmux | undefined
  afterAll(() => term?.kill())

  it('shows a progress bar per phase and a summary line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doraflow-replay-tty-'))
    writeFileSync(join(dir, 'doraflow.yaml'), `server:\n  port: ${await freePort()}\n${quarterServicesYaml()}\n`)
    // The generated quarter, stored as ingest would have stored it.
    const deliveries = quarterDeliveries({ seed: 9, end: Date.parse('2026-10-01T00:00:00Z'), githubSecret: 'x', pagerdutySecret: 'y' })
    const log = openEmbeddedLog(join(dir, 'data/log'))
    await log.appendMany(deliveries.map((d) => envelopeOf(d, new Date(d.at))))
    await log.close()
    term = Tmux.start(`node ${BIN} replay`, dir)
    const screen = await term.waitFor(/\[exit \d+\]/, 120_000)
    expect(screen).toMatch(new RegExp(`reading the log +\\[█+\\] 100% \\| ${deliveries.length}/${deliveries.length}`))
    expect(screen).toMatch(/projecting services +\[█+\] 100% \| (\d+)\/\1/)
    expect(screen).toMatch(new RegExp(`replayed ${deliveries.length} events in [\\d.]+s: \\d+ facts, \\d+ ignored, 0 dead letters, 6 services`))
    expect(screen).toContain('[exit 0]')
  }, 180_000)
})
