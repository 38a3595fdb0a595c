/** The shared real payloads (read-only), as raw text: envelopes keep the body byte for byte. */
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { expect } from 'vitest'
import type { DomainEvent, ParseOutcome } from '../../contracts/events.ts'

export const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures/webhooks')
export const fixture = (rel: string): string => readFileSync(path.join(FIXTURES, rel), 'utf8')
export const fixtureFiles = (dir: string): string[] => readdirSync(path.join(FIXTURES, dir)).filter((f) => f.endsWith('.json')).sort()

/** The one event of an ok outcome (fails the test otherwise). */
export function single<T extends DomainEvent['type']>(out: ParseOutcome, type: T): Extract<DomainEvent, { type: T }> {
  expect(out.kind, JSON.stringify(out)).toBe('ok')
  if (out.kind !== 'ok') throw new Error('unreachable')
  expect(out.events).toHaveLength(1)
  const e = out.events[0]!
  expect(e.type).toBe(type)
  return e as Extract<DomainEvent, { type: T }>
}

export function expectDlq(out: ParseOutcome, field: string): void {
  expect(out.kind, JSON.stringify(out)).toBe('dlq')
  if (out.kind === 'dlq') expect(out.reason).toContain(field)
}
