import { BadField } from '../fields.ts'

/** A percentage 0–100 from a number or a numeric string (Unleash sends "32"). */
export function percent(v: unknown, path: string): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > 100) throw new BadField(`${path} must be a percentage 0–100, got ${JSON.stringify(v)}`)
  return n
}

/** Epoch milliseconds (LaunchDarkly `date`, Flagger `timestamp` as a string) → ISO instant, years 0001–9999. */
export function epochMs(v: unknown, path: string): string {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v
  if (typeof n !== 'number' || !Number.isInteger(n) || n < -62135596800000 || n > 253402300799999) throw new BadField(`${path} must be epoch milliseconds, got ${JSON.stringify(v)}`)
  return new Date(n).toISOString()
}
