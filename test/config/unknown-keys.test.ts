import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ConfigError, parseConfigText } from '../../config/load.ts'
import { describeUnknownKey, unknownKeys } from '../../config/unknown-keys.ts'
import { run } from '../helpers/child.ts'

function configError(text: string): string {
  try {
    parseConfigText(text, {})
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError)
    return (e as Error).message
  }
  throw new Error('the configuration was accepted')
}

describe('unknown configuration keys', () => {
  it('a misspelt top-level key is refused with the key it probably meant', () => {
    const message = configError('sevices:\n  - name: checkout\n')
    expect(message).toContain('sevices: unknown key (did you mean "services"?)')
  })

  it('a misspelt nested key (the secret that would be lost) names its path and the sibling it meant', () => {
    const message = configError('github:\n  webhookSecret: [s3cret]\n')
    expect(message).toContain('github.webhookSecret: unknown key (did you mean "webhookSecrets"?)')
  })

  it('inside a list item the index is part of the path', () => {
    const message = configError('services:\n  - name: checkout\n    pagerdutyService: [P1]\n  - name: search\n    Team: discovery\n')
    expect(message).toContain('services.0.pagerdutyService: unknown key (did you mean "pagerdutyServices"?)')
    expect(message).toContain('services.1.Team: unknown key (did you mean "team"?)')
  })

  it('a key at the wrong level is pointed to where it belongs', () => {
    expect(configError('port: 8080\n')).toContain('port: unknown key (did you mean "server.port"?)')
  })

  it('nothing close: the message lists what is allowed there', () => {
    const message = configError('clickhouse:\n  zzzzzzzz: 1\n')
    expect(message).toMatch(/clickhouse\.zzzzzzzz: unknown key \(known here: kind, path, url, username, password, database/)
  })

  it('every unknown key is named, together with the other errors', () => {
    const message = configError('sevices: []\nserver:\n  prot: 1\n  port: 99999\n')
    expect(message).toContain('sevices: unknown key')
    expect(message).toContain('server.prot: unknown key (did you mean "port"?)')
    expect(message).toContain('server.port:')
  })

  it('free-keyed maps (tier sets) accept any name, but their values are still checked', () => {
    const tiers = '{deploymentFrequency: {elite: 1, high: 0.1, medium: 0.01}, leadTime: {elite: 1, high: 2, medium: 3}, timeToRestore: {elite: 1, high: 2, medium: 3}, changeFailureRate: {elite: 0.1, high: 0.2, medium: 0.3}}'
    expect(parseConfigText(`metrics:\n  tierSet: mine\n  tierSets:\n    mine: ${tiers}\n`, {}).metrics.tierSet).toBe('mine')
    const bad = tiers.replace('leadTime', 'leadTme')
    expect(configError(`metrics:\n  tierSet: mine\n  tierSets:\n    mine: ${bad}\n`)).toContain('metrics.tierSets.mine.leadTme: unknown key (did you mean "leadTime"?)')
  })

  it('works off any schema: keys another branch adds are covered without touching this code', () => {
    // The shape of keys other issues add (INTERFACE.md: gitlab, flags, services[].paths).
    const schema = z.object({
      gitlab: z.object({ webhookTokens: z.array(z.string()).default([]).transform((x) => x) }).prefault({}),
      flags: z.object({ launchdarkly: z.object({ webhookSecrets: z.array(z.string()) }).optional() }).prefault({}),
      services: z.array(z.object({ name: z.string(), paths: z.array(z.string()).default([]) })).default([]),
      labels: z.looseObject({ known: z.string().optional() }).optional(),
      either: z.union([z.object({ a: z.number() }), z.object({ b: z.number() })]).optional(),
    })
    const found = unknownKeys(schema, {
      gitlab: { webhookToken: ['t'] },
      flags: { launchdarkly: { webhookSecret: ['s'] } },
      services: [{ name: 'x', path: ['a/**'] }],
      labels: { anything: 'goes' },
      either: { b: 1 },
    }).map(describeUnknownKey)
    expect(found).toEqual([
      'gitlab.webhookToken: unknown key (did you mean "webhookTokens"?)',
      'flags.launchdarkly.webhookSecret: unknown key (did you mean "webhookSecrets"?)',
      'services.0.path: unknown key (did you mean "paths"?)',
    ])
  })

  it('the shipped example configurations have no unknown key', () => {
    expect(unknownKeys(z.object({}), {})).toEqual([])
    expect(() => parseConfigText('server:\n  port: 8080\ngithub:\n  webhookSecrets: [a]\nservices:\n  - name: s\n    repositories: [a/b]\n', {})).not.toThrow()
  })

  it('every command refuses to start on an unknown key: exit 2 and the did-you-mean on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-unknown-'))
    writeFileSync(join(dir, 'doraflow.yaml'), 'github:\n  webhookSecret: [s3cret]\n')
    for (const args of [['serve'], ['metrics'], ['replay'], ['query', '--list']]) {
      const r = await run(['--config', 'doraflow.yaml', ...args], dir)
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2)
      expect(r.stderr).toContain('github.webhookSecret: unknown key (did you mean "webhookSecrets"?)')
    }
  }, 60_000)
})
