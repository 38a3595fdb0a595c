import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '../..')

/**
 * Times without a zone are UTC whatever the host's TZ (issue 9 §2: checked under
 * Europe/Berlin and America/New_York, they shifted). A child process, because TZ
 * is process-wide and must not leak into other test files.
 */
describe('timestamps without a zone read as UTC under a non-UTC TZ', () => {
  it.each([
    ['Europe/Berlin', -120],
    ['America/New_York', 240],
  ])('%s', (tz, offset) => {
    const out = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'bin/run-ts.js'), path.join(ROOT, 'test/parse/timezone-child.ts')], { env: { ...process.env, TZ: tz }, encoding: 'utf8' }))
    // The TZ really is in effect in the child (July: summer time).
    expect(out).toMatchObject({ tz, hostOffsetMinutes: offset, parsed: 2 })
    expect(out.deployedAt).toBe(Date.UTC(2026, 6, 1, 10, 0, 0))
    expect(out.incidentStartedAt).toBe(Date.UTC(2026, 6, 1, 11, 30, 0))
    expect(out.factAt).toBe('2026-07-01 10:00:00.000')
    expect(out.queryFrom).toBe(Date.UTC(2026, 6, 1, 10, 0, 0))
  }, 60_000)
})
