import { distance } from 'fastest-levenshtein'
import type { z } from 'zod'

/**
 * Unknown configuration keys, found by walking the raw tree beside the zod schema.
 *
 * Why a walk and not `.strict()` on every object: the schema grows in several
 * branches at once (gitlab, flags, freezes, …). A walk covers every object any of
 * them adds, with no one having to remember `.strict()`, and it knows the
 * schema's keys, so each unknown key comes with a did-you-mean. Objects declared
 * loose (`z.looseObject`, a catchall) and records (free keys) are left alone.
 */
export interface UnknownKey {
  /** Where the key is, e.g. ['services', 0, 'pagerdutyService']. */
  path: (string | number)[]
  /** The closest known key: a sibling ("webhookSecrets"), or a dotted path elsewhere ("server.port"). */
  suggestion: string | null
  /** The keys allowed at that place, for a message when nothing is close. */
  known: string[]
}

type Schema = z.core.$ZodType
type Def = { type: string; [k: string]: any }
const defOf = (s: Schema): Def => (s as any)._zod.def as Def

/** Peels wrappers (default, optional, transforms, …) down to the schema that decides the shape. */
function unwrap(s: Schema): Schema {
  for (;;) {
    const d = defOf(s)
    switch (d.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'catch':
      case 'readonly':
      case 'nonoptional':
        s = d.innerType
        break
      case 'pipe':
        // A transform's input side is what the user writes.
        s = defOf(d.in).type === 'transform' ? d.out : d.in
        break
      case 'lazy':
        s = d.getter()
        break
      default:
        return s
    }
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)

function isClosedObject(d: Def): boolean {
  return d.type === 'object' && (d.catchall === undefined || defOf(d.catchall).type === 'never')
}

/** Every key path the schema allows, dotted (`server.port`, `services.name`), for suggestions across levels. */
function allPaths(root: Schema): string[] {
  const out: string[] = []
  const seen = new Set<Schema>()
  const walk = (s: Schema, prefix: string): void => {
    const u = unwrap(s)
    if (seen.has(u)) return
    seen.add(u)
    const d = defOf(u)
    if (d.type === 'object') {
      for (const [k, v] of Object.entries(d.shape as Record<string, Schema>)) {
        const p = prefix ? `${prefix}.${k}` : k
        out.push(p)
        walk(v, p)
      }
    } else if (d.type === 'array') walk(d.element, prefix)
    else if (d.type === 'record') walk(d.valueType, `${prefix}.*`)
    else if (d.type === 'union') for (const o of d.options as Schema[]) walk(o, prefix)
    else if (d.type === 'intersection') {
      walk(d.left, prefix)
      walk(d.right, prefix)
    }
    seen.delete(u)
  }
  walk(root, '')
  return out
}

/** Close enough to be a typo: a couple of edits, or the same letters in another case. */
function close(a: string, b: string): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return true
  // Two edits at least: a swapped pair of letters (prot/port) is two in Levenshtein's count.
  return distance(a.toLowerCase(), b.toLowerCase()) <= Math.max(2, Math.min(3, Math.floor(b.length / 4)))
}

function suggest(key: string, siblings: string[], everywhere: string[]): string | null {
  const ranked = (xs: string[], name: (x: string) => string) =>
    xs.filter((x) => close(key, name(x))).sort((a, b) => distance(key.toLowerCase(), name(a).toLowerCase()) - distance(key.toLowerCase(), name(b).toLowerCase()))[0] ?? null
  return ranked(siblings, (x) => x) ?? ranked(everywhere, (p) => p.split('.').at(-1)!)
}

export function unknownKeys(schema: Schema, input: unknown): UnknownKey[] {
  const everywhere = allPaths(schema)
  const found: UnknownKey[] = []
  const walk = (s: Schema, value: unknown, path: (string | number)[], sink: UnknownKey[]): void => {
    const d = defOf(unwrap(s))
    if (d.type === 'object' && isPlainObject(value)) {
      const shape = d.shape as Record<string, Schema>
      const known = Object.keys(shape)
      for (const [k, v] of Object.entries(value)) {
        if (k in shape) walk(shape[k]!, v, [...path, k], sink)
        else if (isClosedObject(d)) sink.push({ path: [...path, k], suggestion: suggest(k, known, everywhere), known })
      }
    } else if (d.type === 'array' && Array.isArray(value)) {
      value.forEach((v, i) => walk(d.element, v, [...path, i], sink))
    } else if (d.type === 'record' && isPlainObject(value)) {
      for (const [k, v] of Object.entries(value)) walk(d.valueType, v, [...path, k], sink)
    } else if (d.type === 'intersection') {
      walk(d.left, value, path, sink)
      walk(d.right, value, path, sink)
    } else if (d.type === 'union') {
      // The option that fits best decides: no unknown keys under any option means none at all.
      let best: UnknownKey[] | null = null
      for (const o of d.options as Schema[]) {
        if (!isPlainObject(value) || defOf(unwrap(o)).type !== 'object') continue
        const mine: UnknownKey[] = []
        walk(o, value, path, mine)
        if (best === null || mine.length < best.length) best = mine
      }
      if (best) sink.push(...best)
    }
  }
  walk(schema, input, [], found)
  return found
}

/** One line per unknown key, in the style of the other configuration errors. */
export function describeUnknownKey(u: UnknownKey): string {
  const where = u.path.join('.')
  if (u.suggestion) return `${where}: unknown key (did you mean "${u.suggestion}"?)`
  return `${where}: unknown key (known here: ${u.known.join(', ')})`
}
