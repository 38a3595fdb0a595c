import fc from 'fast-check'
import type { LoggedEnvelope } from '../../contracts/envelope.ts'

/**
 * Arbitrary delivery orders of a set of envelopes: a permutation, some of them
 * delivered again at arbitrary places, cut into batches of an arbitrary size.
 */
export function deliveryOrders(envelopes: readonly LoggedEnvelope[], o: { maxRedeliveries: number; batchSizes: [number, number] }): fc.Arbitrary<LoggedEnvelope[][]> {
  return fc
    .tuple(
      fc.shuffledSubarray([...envelopes], { minLength: envelopes.length, maxLength: envelopes.length }),
      fc.array(fc.integer({ min: 0, max: envelopes.length - 1 }), { maxLength: o.maxRedeliveries }),
      fc.integer({ min: o.batchSizes[0], max: o.batchSizes[1] }),
    )
    .map(([shuffled, redelivered, size]) => {
      const stream = [...shuffled]
      for (const i of redelivered) stream.splice((i * 7) % (stream.length + 1), 0, envelopes[i]!)
      const batches: LoggedEnvelope[][] = []
      for (let k = 0; k < stream.length; k += size) batches.push(stream.slice(k, k + size))
      return batches
    })
}
