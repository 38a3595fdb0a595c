/**
 * Lone UTF-16 surrogates (from a `\uD800` escape in a JSON body) are valid JSON but
 * not Unicode: ClickHouse refuses a row holding one, and with it the whole insert,
 * which would stop the processor on that batch for ever. Every string that reaches
 * a table goes through here first: lone surrogates become U+FFFD.
 * (String.prototype.toWellFormed is ES2024, present in Node 20, absent from our TS lib.)
 */
export const wellFormed = (s: string): string => (s as string & { toWellFormed(): string }).toWellFormed()
