/** A seeded pseudo-random source in [0, 1) (a 32-bit LCG): the same seed, the same history, on every machine. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32
}
