import { describe, expect, it } from 'vitest'
import { Coalescer } from '../../processors/coalesce.ts'

/** A run that records what it was handed and answers with the items' sum. */
function recorder(fail = false) {
  const runs: number[][] = []
  let release: () => void = () => {}
  const gate = () => new Promise<void>((r) => (release = r))
  let hold: Promise<void> | null = null
  const c = new Coalescer<number, { sum: number }>(
    async (items) => {
      runs.push(items)
      if (hold) await hold
      if (fail) throw new Error('refused')
      return { sum: items.reduce((a, b) => a + b, 0) }
    },
    () => ({ sum: 0 }),
    4,
  )
  return { c, runs, holdNext: () => (hold = gate()), release: () => release(), unhold: () => (hold = null) }
}

describe('Coalescer (the Kafka processor: partitions of one fetch processed as one batch)', () => {
  it('merges what is submitted in the same turn into one run; the first caller gets the whole result, the others none', async () => {
    const { c, runs } = recorder()
    const results = await Promise.all([c.submit([1, 2]), c.submit([3]), c.submit([4])])
    expect(runs).toEqual([[1, 2, 3, 4]])
    expect(results).toEqual([{ sum: 10 }, { sum: 0 }, { sum: 0 }])
  })

  it('one run at a time: what arrives meanwhile goes into the next run, at most maxItems (a caller never split)', async () => {
    const r = recorder()
    r.holdNext()
    const first = r.c.submit([1])
    await new Promise((x) => setImmediate(x))
    r.unhold()
    const later = [r.c.submit([2, 3]), r.c.submit([4, 5]), r.c.submit([6])]
    expect(r.runs).toEqual([[1]])
    r.release()
    await Promise.all([first, ...later])
    expect(r.runs).toEqual([[1], [2, 3, 4, 5], [6]])
  })

  it('a failed run rejects every caller in it, and the next submission runs again', async () => {
    const r = recorder(true)
    const settled = await Promise.allSettled([r.c.submit([1]), r.c.submit([2])])
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected'])
    await expect(r.c.submit([3])).rejects.toThrow('refused')
    expect(r.runs).toEqual([[1, 2], [3]])
  })
})
