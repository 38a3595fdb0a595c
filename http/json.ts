import { z } from 'zod'
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

/** A required non-empty string whose error message names the field (zod schemas of headers and bodies). */
export const nonEmpty = (what: string) => z.string({ error: `${what} is missing or not a string` }).min(1, `${what} is missing or not a string`)

/** A zod failure as the 400 every route gives: "invalid <what>: path: message; …" with the issues as details. */
export function invalid(what: string, error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) {
  const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }))
  return badRequest(`invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues })
}
