import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BIN, freePort } from '../helpers/child.ts'
import { HAVE_TMUX, IN_CI, Tmux } from './tmux.ts'

describe.skipIf(!HAVE_TMUX && !IN_CI)('doraflow demo in a real terminal (tmux)', () => {
  let term: Tmux | undefined
  afterAll(() => term?.kill())

  it('shows the progress bars, the overview URL and the commands to try; Ctrl-C stops it cleanly', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'doraflow-demo-tty-'))
    const port = await freePort()
    term = Tmux.start(`node ${BIN} demo --seed 3 --port ${port}`, tmpdir(), { TMPDIR: tmp, TSX_DISABLE_CACHE: '1' }) // tsx's own compile cache would land in TMPDIR too
    const screen = await term.waitFor(/Ctrl-C stops the demo/, 120_000)
    // cli-progress leaves each finished bar on the screen at 100 %.
    expect(screen).toMatch(/webhooks +\[█+\] 100% \| (\d+)\/\1 signed deliveries/)
    expect(screen).toMatch(/processing +\[█+\] 100% \| (\d+)\/\1 events in ClickHouse/)
    expect(screen).toContain(`Overview:  http://127.0.0.1:${port}/`) // --port is honoured
    expect(screen).toMatch(/npx doraflow --config \S+ metrics --by team/)
    expect(screen).toMatch(/report quarterly --quarter \d{4}-Q\d/)
    expect(screen).toMatch(/postmortem 'pagerduty:/)
    // No raw JSON log lines in the user's terminal: the server's log goes to its file.
    expect(screen).not.toMatch(/\{"level":/)
    term.keys('C-c')
    const after = await term.waitFor(/\[exit \d+\]/, 30_000)
    expect(after).toContain('nothing left behind')
    expect(after).toContain('[exit 0]')
    expect(readdirSync(tmp)).toEqual([])
  }, 180_000)
})
