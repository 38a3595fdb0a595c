/**
 * Field readers shared by the source parsers. They throw `BadField` so a
 * parser reads like a plain description of the payload; `guard` turns that
 * (and anything unexpected) into a `dlq` outcome, so no parser ever throws.
 */
import { dlq, type DeadLetterCode, type ParseOutcome } from '../contracts/events.ts'
import { wellFormed } from '../contracts/well-formed.ts'
import { parseInstant } from '../contracts/instant.ts'

export class BadField extends Error {
  constructor(message: string, readonly code: DeadLetterCode = 'bad_field') {
    super(message)
  }
}

/** Anything but null/array objects is "not an object" for a JSON payload. */
export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Run a parser body; a malformed payload becomes a dead letter, never an exception. */
export function guard(what: string, body: () => ParseOutcome): ParseOutcome {
  try {
    return body()
  } catch (err) {
    if (err instanceof BadField) return dlq(`${what}: ${err.message}`, err.code)
    // A parser bug must not stop the processor either; the dead letter keeps the envelope.
    return dlq(`${what}: parser error: ${err instanceof Error ? err.message : String(err)}`, 'parser_error')
  }
}

// A \uD800–\uDFFF escape can make a string with a lone surrogate, which is valid JSON but not
// Unicode: ClickHouse refuses such a row and the whole batch with it (a poison pill). Only
// escapes can produce one (ingest accepts valid UTF-8 only), so the slower reviver runs only then.
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/
const reviveWellFormed = (_key: string, v: unknown) => (typeof v === 'string' ? wellFormed(v) : v)

export function parseJson(text: string, what = 'body'): unknown {
  try {
    // includes() first: most bodies hold no \u escape at all, and it is cheaper than the regex scan.
    return (text.includes('\\u') && SURROGATE_ESCAPE.test(text) ? JSON.parse(text, reviveWellFormed) : JSON.parse(text)) as unknown
  } catch (err) {
    throw new BadField(`${what} is not valid JSON (${err instanceof Error ? err.message : String(err)})`, 'bad_json')
  }
}

const INDEX = /^\d+$/
// The parsers ask for the same few dozen literal paths on every body: split each once.
const steps = new Map<string, readonly string[]>()
function stepsOf(path: string): readonly string[] {
  let s = steps.get(path)
  if (s === undefined) {
    s = path.split('.')
    if (steps.size < 10_000) steps.set(path, s)
  }
  return s
}

/** Value at a dotted path (numeric steps index arrays); undefined when any step is missing. */
export function at(root: unknown, path: string): unknown {
  let cur: unknown = root
  for (const step of stepsOf(path)) {
    if (Array.isArray(cur)) cur = INDEX.test(step) ? cur[Number(step)] : undefined
    else if (isObj(cur)) cur = Object.hasOwn(cur, step) ? cur[step] : undefined
    else return undefined
  }
  return cur
}

/** True when the last step of the path is present as a key (even with a null value). */
export function has(root: unknown, path: string): boolean {
  const i = path.lastIndexOf('.')
  const parent = i < 0 ? root : at(root, path.slice(0, i))
  return isObj(parent) && Object.hasOwn(parent, path.slice(i + 1))
}

const describe = (v: unknown): string => (v === undefined ? 'nothing (missing)' : v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)
const absentOr = (v: unknown, code: DeadLetterCode): DeadLetterCode => (v === undefined ? 'missing_field' : code)

/** A zod issue as the code of its dead letter. */
export function zodCode(issue: { code: string; message: string; format?: unknown } | undefined): DeadLetterCode {
  if (issue?.code === 'invalid_type' && / received undefined$/.test(issue.message)) return 'missing_field'
  if (issue?.code === 'invalid_format' && issue.format === 'datetime') return 'bad_timestamp'
  return 'bad_field'
}

export function obj(root: unknown, path: string): Record<string, unknown> {
  const v = at(root, path)
  if (!isObj(v)) throw new BadField(`${path} must be an object, got ${describe(v)}`, absentOr(v, 'bad_field'))
  return v
}

export function str(root: unknown, path: string): string {
  const v = at(root, path)
  if (typeof v !== 'string') throw new BadField(`${path} must be a string, got ${describe(v)}`, absentOr(v, 'bad_field'))
  return v
}

/** A string, or null when missing/null; any other type is malformed. */
export function optStr(root: unknown, path: string): string | null {
  const v = at(root, path)
  if (v === undefined || v === null) return null
  if (typeof v !== 'string') throw new BadField(`${path} must be a string or null, got ${describe(v)}`)
  return v
}

/** A non-empty string or null: GitHub sends "" for unset urls. */
export const optNonEmpty = (root: unknown, path: string): string | null => optStr(root, path) || null

export function num(root: unknown, path: string): number {
  const v = at(root, path)
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new BadField(`${path} must be a number, got ${describe(v)}`, absentOr(v, 'bad_number'))
  return v
}

/** A positive whole number (PR, issue and incident numbers): a UInt64 column cannot take -1, 1.5 or 1e300. */
export function posInt(root: unknown, path: string): number {
  const v = num(root, path)
  if (!Number.isSafeInteger(v) || v < 1) throw new BadField(`${path} must be a positive whole number, got ${v}`, 'bad_number')
  return v
}

export function optBool(root: unknown, path: string): boolean | null {
  const v = at(root, path)
  if (v === undefined || v === null) return null
  if (typeof v !== 'boolean') throw new BadField(`${path} must be a boolean, got ${describe(v)}`)
  return v
}

/** Ids arrive as numbers (GitHub) or strings; the domain keeps strings. */
export function idStr(root: unknown, path: string): string {
  const v = at(root, path)
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  if (typeof v === 'string' && v !== '') return v
  throw new BadField(`${path} must be an id (number or string), got ${describe(v)}`, absentOr(v, 'bad_field'))
}

/** The original ISO string, unchanged (precision kept), once we know it parses. */
// Years 0001–9999: beyond them JavaScript writes ISO dates as ±YYYYYY, which ClickHouse cannot
// read, and one such row would stop every insert of its batch (a poison pill for the processor).
const EARLIEST_MS = -62135596800000 // 0001-01-01T00:00:00Z
const LATEST_MS = 253402300799999 // 9999-12-31T23:59:59.999Z

/** Unix seconds → ISO instant, in the same range as time(). */
export function unixTime(seconds: number, path: string): string {
  const ms = seconds * 1000
  if (!(ms >= EARLIEST_MS && ms <= LATEST_MS)) throw new BadField(`${path} is out of range (years 0001–9999): ${seconds}`, 'bad_timestamp')
  return new Date(ms).toISOString()
}

export function time(root: unknown, path: string): string {
  const v = str(root, path)
  // Kept as sent (precision), read as UTC when it names no zone: every later reader uses parseInstant too.
  const ms = parseInstant(v)
  if (Number.isNaN(ms)) throw new BadField(`${path} is not a valid date-time: ${JSON.stringify(v)}`, 'bad_timestamp')
  if (ms < EARLIEST_MS || ms > LATEST_MS) throw new BadField(`${path} is out of range (years 0001–9999): ${JSON.stringify(v)}`, 'bad_timestamp')
  return v
}

export function optTime(root: unknown, path: string): string | null {
  const v = at(root, path)
  return v === undefined || v === null ? null : time(root, path)
}

export function arr(root: unknown, path: string): unknown[] {
  const v = at(root, path)
  if (!Array.isArray(v)) throw new BadField(`${path} must be an array, got ${describe(v)}`, absentOr(v, 'bad_field'))
  return v
}
