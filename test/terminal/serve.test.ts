import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BIN, doraflow, freePort, waitHealthy } from '../helpers/child.ts'
import { eventually } from '../helpers/payloads.ts'
import { HAVE_TMUX, IN_CI, Tmux } from './tmux.ts'

describe.skipIf(!HAVE_TMUX && !IN_CI)('doraflow serve in a real terminal (tmux)', () => {
  let term: Tmux | undefined
  afterAll(() => term?.kill())

  it('prints the URLs for the senders and the overview, and human-readable log lines; Ctrl-C exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doraflow-tty-'))
    const port = await freePort()
    writeFileSync(join(dir, 'doraflow.yaml'), `server:\n  port: ${port}\ngithub:\n  webhookSecrets: [s3cret]\n`)
    term = Tmux.start(`node ${BIN} serve`, dir)
    const screen = await term.waitFor(/overview +http:\/\/localhost:\d+\//, 60_000)
    expect(screen).toMatch(new RegExp(`overview +http://localhost:${port}/`))
    expect(screen).toMatch(new RegExp(`GitHub +http://\\S+:${port}/webhooks/github .*secret set`))
    expect(screen).toMatch(new RegExp(`PagerDuty +http://\\S+:${port}/webhooks/pagerduty .*NO SECRET: loopback only`))
    expect(screen).toMatch(new RegExp(`other tools +http://\\S+:${port}/events`))
    // pino-pretty: "HH:MM:ss INFO: doraflow listening …", not a JSON line.
    expect(screen).toMatch(/\d\d:\d\d:\d\d\] INFO: doraflow listening on http:\/\/0\.0\.0\.0:\d+/)
    expect(screen).not.toMatch(/\{"level":/)
    term.keys('C-c')
    const after = await term.waitFor(/\[exit \d+\]/, 30_000)
    expect(after).toContain('SIGINT received, shutting down')
    expect(after).toContain('[exit 0]')
  }, 120_000)

  it('without a terminal the log stays JSON lines (for collectors); the URLs are printed all the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doraflow-notty-'))
    const port = await freePort()
    writeFileSync(join(dir, 'doraflow.yaml'), `server:\n  port: ${port}\n`)
    const child = doraflow(['serve'], dir)
    try {
      await waitHealthy(`http://127.0.0.1:${port}`, child)
      const out = await eventually(async () => (/overview +http/.test(child.output()) ? child.output() : undefined), 30_000, 'the start banner')
      const listening = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number; msg: string }).find((l) => l.msg.startsWith(`doraflow listening on http://0.0.0.0:${port}`))
      expect(listening).toMatchObject({ level: 30, msg: expect.stringContaining(`:${port}`) })
      expect(out).toMatch(new RegExp(`overview +http://localhost:${port}/`))
    } finally {
      child.proc.kill('SIGKILL')
    }
  }, 60_000)
})
