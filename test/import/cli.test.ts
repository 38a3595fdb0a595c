/**
 * `doraflow import` refuses what it cannot do with messages that name the
 * option or the configuration key to fix, and a non-zero exit code.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { freePort, run } from '../helpers/child.ts'

async function configDir(extra = ''): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'doraflow-import-cli-'))
  writeFileSync(join(dir, 'doraflow.yaml'), `server: {port: ${await freePort()}}\nlog: {path: ${join(dir, 'log')}}\nimports: {path: ${join(dir, 'imports')}}\n${extra}`)
  return dir
}

describe('doraflow import: refusals', () => {
  it('no repository and no organisation: names --repo and --org', async () => {
    const dir = await configDir()
    const r = await run(['--config', join(dir, 'doraflow.yaml'), 'import', 'github'], dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('--repo')
    expect(r.stderr).toContain('--org')
  })

  it('a date it cannot read: names --since', async () => {
    const dir = await configDir()
    const r = await run(['--config', join(dir, 'doraflow.yaml'), 'import', 'pagerduty', '--since', 'last week'], dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/--since: must be a date/)
  })

  it('no token configured: the summary names github.token, exit code 1', async () => {
    const dir = await configDir()
    const r = await run(['--config', join(dir, 'doraflow.yaml'), 'import', 'github', '--repo', 'acme/checkout', '--no-progress'], dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('importing into the event log (embedded) directly')
    expect(r.stdout).toContain('bad_token: no GitHub token configured: set github.token')
  })
})
