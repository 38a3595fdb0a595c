import { describe, expect, it } from 'vitest'
import { isLoopback } from '../../http/loopback.ts'
import { verifyBearer } from '../../http/bearer.ts'
import { verifyPagerDutySignature } from '../../sources/pagerduty/verify.ts'

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['128.0.0.1', false],
    ['fe80::1', false],
    [undefined, false],
  ])('%s → %s', (addr, expected) => expect(isLoopback(addr)).toBe(expected))
})

describe('verifiers', () => {
  it('PagerDuty: ignores entries that are not v1=<64 hex>', () => {
    expect(verifyPagerDutySignature(Buffer.from('x'), 'v1=zz, v2=00', ['s'])).toBe(false)
  })
  it('bearer: exact token only', () => {
    expect(verifyBearer('Bearer abc', ['abc'])).toBe(true)
    expect(verifyBearer('Bearer abcd', ['abc'])).toBe(false)
    expect(verifyBearer(undefined, ['abc'])).toBe(false)
  })
})
