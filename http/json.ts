import { badRequest } from './errors.ts'

export type JsonObject = Record<string, unknown>

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Parses a body that must be a JSON object; the 400 says which problem it was. */
export function parseJsonObject(text: string, what = 'request body'): JsonObject {
  if (text.trim() === '') throw badRequest(`${what} is empty; expected a JSON object`)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw badRequest(`${what} is not valid JSON: ${(err as Error).message}`)
  }
  if (!isObject(value)) throw badRequest(`${what} must be a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`)
  return value
}

/** Reads a string at a path of nested objects, or undefined. */
export function str(obj: unknown, ...path: string[]): string | undefined {
  let cur: unknown = obj
  for (const k of path) {
    if (!isObject(cur)) return undefined
    cur = cur[k]
  }
  return typeof cur === 'string' && cur !== '' ? cur : undefined
}
