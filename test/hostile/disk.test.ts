import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, parseConfigText } from '../../config/load.ts'
import { configSchema } from '../../config/schema.ts'
import { createIngestRouter } from '../../ingest/app.ts'
import { openEmbeddedLog, type EmbeddedLog } from '../../log/embedded.ts'
import { pdSig, request } from './helpers.ts'

/**
 * The disk under the embedded log fails (issue 6 §8): read-only (SQLite
 * query_only, what a read-only remount looks like to SQLite), full
 * (SQLITE_FULL) or failing writes (SQLITE_IOERR), injected at the log's
 * write boundary. Ingest must answer 503 + Retry-After — PagerDuty retries
 * 5xx, it would drop a 4xx — and what was acknowledged before stays.
 */
const SECRET = 'pd-disk-secret'
type Mode = 'ok' | 'readonly' | 'full' | 'ioerr'

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'doraflow-disk-'))
  let mode: Mode = 'ok'
  const log = openEmbeddedLog(dir, {
    faults: {
      beforeBatch: (db) => void db.pragma(`query_only = ${mode === 'readonly' ? 'ON' : 'OFF'}`),
      beforeCommit: () => {
        if (mode === 'full') throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL')
        if (mode === 'ioerr') throw new Database.SqliteError('disk I/O error', 'SQLITE_IOERR_WRITE')
      },
    },
  })
  const config = configSchema.parse({ pagerduty: { webhookSecrets: [SECRET] } })
  const app = express()
  app.use(createIngestRouter({ config, log }))
  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>((r) => server.once('listening', () => r()))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/pagerduty`
  return {
    dir,
    log,
    url,
    setMode: (m: Mode) => (mode = m),
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
      await log.close()
    },
  }
}

const delivery = (id: string) => {
  const body = JSON.stringify({ event: { id, event_type: 'incident.triggered', occurred_at: '2026-07-03T13:00:00.000Z', data: { id: 'Q1', service: { id: 'PCHECK' } } } })
  return { body, headers: { 'content-type': 'application/json', 'x-webhook-id': `wh-${id}`, 'x-pagerduty-signature': pdSig(body, SECRET) } }
}

let cleanup: (() => Promise<void>) | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
})

describe('the event log on a failing disk', () => {
  for (const mode of ['readonly', 'full', 'ioerr'] as const) {
    it(`${mode}: 503 + Retry-After while it lasts, nothing acknowledged is lost, the retry after recovery is stored once`, async () => {
      const t = await setup()
      cleanup = t.close
      const acked: string[] = []
      for (let i = 0; i < 5; i++) {
        const d = delivery(`before-${i}`)
        const r = await request(t.url, d)
        expect(r.status).toBe(202)
        acked.push(`pagerduty:before-${i}`)
      }
      t.setMode(mode)
      for (let i = 0; i < 5; i++) {
        const r = await request(t.url, delivery(`during-${i}`))
        expect(r.status, r.text).toBe(503)
        expect(r.headers['retry-after']).toMatch(/^\d+$/)
        expect(r.json).toMatchObject({ error: 'unavailable' })
        expect(r.text).not.toMatch(/SQLITE|disk I\/O|\n\s+at /)
      }
      expect(await t.log.count()).toBe(5)
      t.setMode('ok')
      // PagerDuty's retries of the refused deliveries now land, once each.
      for (let i = 0; i < 5; i++) {
        expect((await request(t.url, delivery(`during-${i}`))).json).toMatchObject({ accepted: true, duplicate: false })
        expect((await request(t.url, delivery(`during-${i}`))).json).toMatchObject({ duplicate: true })
      }
      await t.close()
      cleanup = undefined
      // Reopened from disk: every acknowledged delivery is there, in order, once.
      const reopened: EmbeddedLog = openEmbeddedLog(t.dir)
      try {
        const ids = (await reopened.read(0, 100)).map((e) => e.envelope.id)
        expect(ids).toEqual([...acked, ...Array.from({ length: 5 }, (_, i) => `pagerduty:during-${i}`)])
      } finally {
        await reopened.close()
      }
    })
  }

  it('readiness follows the disk: healthy() is false while the log is read-only, true again after', async () => {
    const t = await setup()
    cleanup = t.close
    expect(await t.log.healthy()).toBe(true)
    t.setMode('readonly')
    expect((await request(t.url, delivery('ro-1'))).status).toBe(503)
    expect(await t.log.healthy()).toBe(false)
    t.setMode('ok')
    expect((await request(t.url, delivery('ro-1'))).status).toBe(202)
    expect(await t.log.healthy()).toBe(true)
  })
})

describe('secrets from files (*_FILE, the Kubernetes-secret convention)', () => {
  it('${VAR} reads VAR_FILE when VAR is unset; VAR wins when both are set; the file is trimmed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'doraflow-secret-'))
    const f = join(dir, 'token')
    writeFileSync(f, 'file-token-123\n')
    const yaml = 'api:\n  tokens: [${API_TOKEN}]\n  adminTokens: [${ADMIN_TOKEN}]\ngithub:\n  webhookSecrets: [${GH}]\n'
    const c = parseConfigText(yaml, { API_TOKEN_FILE: f, ADMIN_TOKEN: 'env-admin', ADMIN_TOKEN_FILE: f, GH_FILE: f })
    expect(c.api.tokens).toEqual(['file-token-123'])
    expect(c.api.adminTokens).toEqual(['env-admin'])
    expect(c.github.webhookSecrets).toEqual(['file-token-123'])
  })

  it('an unreadable secret file is a config error that names the variable and the path, not the content', () => {
    const dir = mkdtempSync(join(tmpdir(), 'doraflow-secret-'))
    const missing = join(dir, 'absent')
    expect(() => parseConfigText('api:\n  tokens: [${T}]\n', { T_FILE: missing })).toThrow(ConfigError)
    expect(() => parseConfigText('api:\n  tokens: [${T}]\n', { T_FILE: missing })).toThrow(/T_FILE points to .*absent/)
    const secretFile = join(dir, 'secret')
    writeFileSync(secretFile, 'super-secret-value')
    chmodSync(secretFile, 0o600)
    try {
      parseConfigText('server:\n  port: ${T}\n', { T_FILE: secretFile })
      expect.unreachable()
    } catch (e) {
      // The config error says port is wrong; it must not print the secret it read.
      expect((e as Error).message).toMatch(/server\.port/)
      expect((e as Error).message).not.toContain('super-secret-value')
    }
  })

  it('an empty secret list means no secret (unset variables drop out), never an empty-string secret', () => {
    const c = parseConfigText('github:\n  webhookSecrets: [${UNSET_A}, ""]\napi:\n  adminTokens: [${UNSET_B}]\n', {})
    expect(c.github.webhookSecrets).toEqual([])
    expect(c.api.adminTokens).toEqual([])
  })
})
