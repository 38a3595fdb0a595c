import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, parseConfigText } from '../../config/load.ts'

describe('configuration', () => {
  it('an empty file gives the embedded defaults of INTERFACE.md', () => {
    const c = parseConfigText('', {})
    expect(c.server.port).toBe(8080)
    expect(c.log).toMatchObject({ kind: 'embedded', path: './data/log', topic: 'doraflow.events' })
    expect(c.clickhouse).toMatchObject({ kind: 'embedded', path: './data/clickhouse', database: 'doraflow' })
    expect(c.github.productionEnvironments).toEqual(['production', 'prod', 'live'])
    expect(c.github.incidentLabels).toEqual(['incident'])
    expect(c.metrics).toMatchObject({ timezone: 'UTC', incidentAttributionWindowHours: 24 })
  })

  it('expands ${VAR} — also inside a YAML flow sequence, as INTERFACE.md writes it — without re-reading the value as YAML', () => {
    const c = parseConfigText('api:\n  tokens: [${TOKEN}]\ngithub:\n  webhookSecrets: [${A}, ${B}]\n', { TOKEN: 'x: [y], {z}', A: 'one', B: '' })
    expect(c.api.tokens).toEqual(['x: [y], {z}'])
    expect(c.github.webhookSecrets).toEqual(['one']) // an unset/empty variable is no secret at all
  })

  it('reads VAR_FILE when VAR is unset (Kubernetes secrets)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'))
    writeFileSync(join(dir, 'secret'), 's3cret\n')
    const c = parseConfigText('pagerduty:\n  webhookSecrets: [${PD}]\n', { PD_FILE: join(dir, 'secret') })
    expect(c.pagerduty.webhookSecrets).toEqual(['s3cret'])
  })

  it('names every bad key and what is wrong', () => {
    const text = 'server:\n  port: 99999\nmetrics:\n  timezone: Mars/Olympus\nservices:\n  - name: a\n    repositories: [not-a-repo]\n  - name: a\n'
    let message = ''
    try {
      parseConfigText(text, {})
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError)
      message = (e as Error).message
    }
    expect(message).toContain('server.port')
    expect(message).toContain('metrics.timezone: not an IANA timezone')
    expect(message).toContain('services.0.repositories.0: must be owner/name')
    expect(message).toContain('services.1.name: duplicate service name "a"')
  })

  it('invalid YAML is a ConfigError naming the file', () => {
    expect(() => parseConfigText('server: [', {}, 'my.yaml')).toThrow(/my.yaml is not valid YAML/)
  })

  it('a named config file that does not exist is an error; no file at the default path means defaults', () => {
    expect(() => loadConfig('/nonexistent/doraflow.yaml', {})).toThrow(/does not exist/)
    const cwd = process.cwd()
    process.chdir(mkdtempSync(join(tmpdir(), 'cfg-')))
    try {
      expect(loadConfig(undefined, {}).file).toBeNull()
    } finally {
      process.chdir(cwd)
    }
  })
})
