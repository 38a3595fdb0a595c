/** One finding of `doraflow doctor`: what was checked, how it stands, and what to do about it. */
export type Status = 'ok' | 'warn' | 'fail' | 'skip'

export interface Check {
  /** Stable, for scripts reading `--format json`: config, secrets.github, log, clickhouse, … */
  id: string
  status: Status
  /** One line: what was found. */
  detail: string
  /** What to do, when something is to be done. */
  fix: string | null
  /** Figures behind the line (deliveries, reasons, bytes free…) for `--format json`. */
  data?: unknown
}

export const check = (id: string, status: Status, detail: string, fix: string | null = null, data?: unknown): Check => ({ id, status, detail, fix, ...(data === undefined ? {} : { data }) })

/** Exit code for scripts: 1 when anything failed; warnings alone do not fail. */
export const exitCodeOf = (checks: Check[]) => (checks.some((c) => c.status === 'fail') ? 1 : 0)

/** A check that threw is a failed check that says why, never a crashed doctor. */
export async function guarded(id: string, f: () => Promise<Check | Check[]>): Promise<Check[]> {
  try {
    const r = await f()
    return Array.isArray(r) ? r : [r]
  } catch (e) {
    return [check(id, 'fail', (e as Error).message, 'see the message; DORAFLOW_DEBUG=1 shows the stack')]
  }
}
