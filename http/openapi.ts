import { z } from 'zod'

/** zod → OpenAPI 3.1 building blocks, for api/openapi.ts and the sources' route descriptions (one source of truth: the schemas the routes validate with). */

export type Json = Record<string, unknown>

/** A zod schema whose JSON Schema form needs a hand: a .refine() has none, so the schema says what it means. */
const overrides = new Map<z.ZodType, (json: Json) => void>()
export function describeRefinement(schema: z.ZodType, patch: (json: Json) => void): void {
  overrides.set(schema, patch)
}

/** zod → JSON Schema 2020-12 (OpenAPI 3.1's dialect), as the request side sees it (before defaults/transforms). */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Json {
  const out = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    override: (ctx) => overrides.get(ctx.zodSchema as unknown as z.ZodType)?.(ctx.jsonSchema as Json),
  }) as Json
  delete out.$schema
  return out
}

/** Each property of an object schema becomes one parameter. */
export function parameters(schema: z.ZodType, where: 'query' | 'header', descriptions: Record<string, string> = {}): Json[] {
  const s = jsonSchema(schema)
  const props = (s.properties ?? {}) as Record<string, Json>
  const required = new Set((s.required as string[] | undefined) ?? [])
  const shape = schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : {}
  return Object.entries(props).map(([name, p]) => {
    const { description, example, ...rest } = p
    // Some parameters take '' as "not given" (a zod preprocess, invisible to toJSONSchema): say so.
    if (Array.isArray(rest.enum) && !rest.enum.includes('') && shape[name]?.safeParse('').success) rest.enum = [...rest.enum, '']
    return {
      name,
      in: where,
      required: where === 'header' ? required.has(name) && rest.default === undefined : false,
      description: descriptions[name] ?? description,
      ...(example !== undefined ? { example } : {}),
      schema: rest,
    }
  })
}

/** The security requirement of a delivery route: none when the config names no secret (loopback-only). */
export const signedBy = (secured: boolean | undefined, scheme: string): Json[] => (secured === false ? [] : [{ [scheme]: [] }])
