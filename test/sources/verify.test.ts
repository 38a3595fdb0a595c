import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isStandardWebhookSecret, signedHeaders, verifyStandardWebhook } from '../../sources/shared/standard-webhooks.ts'
import { tokenMatches } from '../../sources/shared/verify-token.ts'
import { verifyJiraSignature } from '../../sources/jira/verify.ts'
import { FIXTURES } from '../parse/fixtures.ts'

interface Vector { name: string; secret: string; webhook_id: string; webhook_timestamp: string; payload: string; webhook_signature: string; valid: boolean }
const vectors = (JSON.parse(readFileSync(path.join(FIXTURES, 'standard-webhooks/signature-test-vectors.json'), 'utf8')) as { vectors: Vector[] }).vectors
// The vectors are signed in 2021: the clock is set to their time (the package reads Date.now()).
const at = (v: Vector, offsetSeconds = 0) => { vi.setSystemTime((Number(v.webhook_timestamp) + offsetSeconds) * 1000) }
afterEach(() => { vi.useRealTimers() })
function verifyAt(v: Vector, skewSeconds: number, ...args: Parameters<typeof verifyStandardWebhook>) {
  at(v, skewSeconds)
  return verifyStandardWebhook(...args)
}
const headersOf = (h: Record<string, string>) => signedHeaders((n) => h[n])

describe('Standard Webhooks / Svix on the published test vectors', () => {
  beforeEach(() => { vi.useFakeTimers({ toFake: ['Date'] }) })
  it('has the vectors it claims (one valid, two invalid)', () => {
    expect(vectors.map((v) => v.valid)).toEqual([true, false, false])
  })
  for (const v of vectors) {
    for (const prefix of ['webhook', 'svix']) {
      it(`${v.name} (${prefix}-* headers): ${v.valid ? 'accepted' : 'refused'}`, () => {
        const h = headersOf({ [`${prefix}-id`]: v.webhook_id, [`${prefix}-timestamp`]: v.webhook_timestamp, [`${prefix}-signature`]: v.webhook_signature })
        const out = verifyAt(v, 0, Buffer.from(v.payload), h, [v.secret])
        expect(out.ok).toBe(v.valid)
        if (!out.ok) expect(out.reason).toBe('no_matching_signature')
      })
    }
  }
  const good = vectors[0]!
  const bad = vectors[1]!
  const h = (signature: string, timestamp = good.webhook_timestamp) => headersOf({ 'webhook-id': good.webhook_id, 'webhook-timestamp': timestamp, 'webhook-signature': signature })

  it('several signatures (the sender rotating): any v1 entry that matches is enough, v1a and unknown entries are skipped', () => {
    expect(verifyAt(good, 0, Buffer.from(good.payload), h(`v1a,AAAA ${bad.webhook_signature} ${good.webhook_signature}`), [good.secret]).ok).toBe(true)
    expect(verifyAt(good, 0, Buffer.from(good.payload), h(`${bad.webhook_signature} v2,${good.webhook_signature.slice(3)}`), [good.secret]).ok).toBe(false)
  })
  it('several configured secrets (our rotation): the right one anywhere in the list', () => {
    expect(verifyAt(good, 0, Buffer.from(good.payload), h(good.webhook_signature), ['whsec_' + Buffer.from('another key').toString('base64'), good.secret]).ok).toBe(true)
    expect(verifyAt(good, 0, Buffer.from(good.payload), h(good.webhook_signature), ['whsec_' + Buffer.from('another key').toString('base64')]).ok).toBe(false)
  })
  it('a changed body, id or timestamp no longer matches', () => {
    expect(verifyAt(good, 0, Buffer.from(good.payload + ' '), h(good.webhook_signature), [good.secret]).ok).toBe(false)
    const otherId = headersOf({ 'webhook-id': 'msg_other', 'webhook-timestamp': good.webhook_timestamp, 'webhook-signature': good.webhook_signature })
    expect(verifyAt(good, 0, Buffer.from(good.payload), otherId, [good.secret]).ok).toBe(false)
    const ts = String(Number(good.webhook_timestamp) + 1)
    expect(verifyAt(good, 0, Buffer.from(good.payload), h(good.webhook_signature, ts), [good.secret]).ok).toBe(false)
  })
  it('timestamp tolerance: 300 s either way is inside, 301 s is stale', () => {
    for (const skew of [-300, 300]) expect(verifyAt(good, skew, Buffer.from(good.payload), h(good.webhook_signature), [good.secret]).ok).toBe(true)
    for (const skew of [-301, 301]) {
      const out = verifyAt(good, skew, Buffer.from(good.payload), h(good.webhook_signature), [good.secret])
      expect(out).toMatchObject({ ok: false, reason: 'stale_timestamp' })
    }
  })
  it('missing headers, a timestamp that is not unix seconds', () => {
    expect(verifyStandardWebhook(Buffer.from(good.payload), headersOf({ 'webhook-id': 'x', 'webhook-signature': 'v1,x' }), [good.secret])).toMatchObject({ ok: false, reason: 'missing_headers' })
    expect(verifyStandardWebhook(Buffer.from(good.payload), h(good.webhook_signature, '2021-02-25T15:02:10Z'), [good.secret])).toMatchObject({ ok: false, reason: 'bad_timestamp' })
    expect(verifyAt(good, 0, Buffer.from([0xff, 0xfe]), h(good.webhook_signature), [good.secret])).toMatchObject({ ok: false, reason: 'no_matching_signature' })
  })
  it('a body that is not UTF-8 is checked over its raw bytes: signed right it passes (and ingest answers 400), else not', () => {
    const raw = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff]), Buffer.from('"}')])
    const key = Buffer.from(good.secret.slice('whsec_'.length), 'base64')
    const sig = 'v1,' + createHmac('sha256', key).update(`${good.webhook_id}.${good.webhook_timestamp}.`).update(raw).digest('base64')
    expect(verifyAt(good, 0, raw, h(sig), [good.secret]).ok).toBe(true)
    expect(verifyAt(good, 0, Buffer.concat([raw, Buffer.from(' ')]), h(sig), [good.secret]).ok).toBe(false)
    // The same HMAC over the valid vector agrees with the package: one scheme, two code paths.
    expect('v1,' + createHmac('sha256', key).update(`${good.webhook_id}.${good.webhook_timestamp}.${good.payload}`).digest('base64')).toBe(good.webhook_signature)
  })
  it('secret format: whsec_ + base64 accepted, other text refused', () => {
    expect(isStandardWebhookSecret(good.secret)).toBe(true)
    expect(isStandardWebhookSecret('whsec_not base64!')).toBe(false)
    expect(isStandardWebhookSecret('')).toBe(false)
  })
})

describe('X-Gitlab-Token', () => {
  it('matches any configured token, exactly', () => {
    expect(tokenMatches('s3cret', ['old', 's3cret'])).toBe(true)
    expect(tokenMatches('s3cret', ['old'])).toBe(false)
    expect(tokenMatches('s3cre', ['s3cret'])).toBe(false)
    expect(tokenMatches('s3cret ', ['s3cret'])).toBe(false)
    expect(tokenMatches('', [''])).toBe(false)
    expect(tokenMatches('x', [])).toBe(false)
  })
})

describe('Jira X-Hub-Signature: sha256=', () => {
  const body = readFileSync(path.join(FIXTURES, 'jira/issue_updated.status.json'))
  const sign = (secret: string, b: Buffer = body) => `sha256=${createHmac('sha256', secret).update(b).digest('hex')}`
  it('accepts the HMAC of the raw body under any configured secret', async () => {
    expect(await verifyJiraSignature(body, sign('new'), ['old', 'new'])).toBe(true)
  })
  it('refuses another secret, another body, the sha1 form and an empty header', async () => {
    expect(await verifyJiraSignature(body, sign('other'), ['old', 'new'])).toBe(false)
    expect(await verifyJiraSignature(Buffer.concat([body, Buffer.from(' ')]), sign('new'), ['new'])).toBe(false)
    expect(await verifyJiraSignature(body, `sha1=${createHmac('sha1', 'new').update(body).digest('hex')}`, ['new'])).toBe(false)
    expect(await verifyJiraSignature(body, '', ['new'])).toBe(false)
  })
})
