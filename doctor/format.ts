import type { Check, Status } from './check.ts'

const MARK: Record<Status, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: '--  ' }

/** One line per check, the fix indented under it; a count line last. */
export function formatChecks(checks: Check[]): string {
  const lines = checks.flatMap((c) => [`${MARK[c.status]}  ${c.detail}`, ...(c.fix && c.status !== 'ok' ? [`      → ${c.fix}`] : [])])
  const n = (s: Status) => checks.filter((c) => c.status === s).length
  lines.push('', `${n('ok')} ok, ${n('warn')} warnings, ${n('fail')} failed, ${n('skip')} not checked`)
  return `${lines.join('\n')}\n`
}
