import { z } from 'zod'
import { IANAZone } from 'luxon'

/** Building blocks of the configuration, shared by config/schema.ts and each source's slice (sources/<name>/config.ts). */

export const timezone = z.string().refine((tz) => IANAZone.isValidZone(tz), { message: 'not an IANA timezone (e.g. UTC, Europe/Berlin)' })

/** Empty strings come from unset `${VAR}`s: drop them so "no secret" stays "no secret". */
export const secretList = z.array(z.string().nullable()).default([]).transform((xs) => xs.filter((x): x is string => !!x && x.length > 0))
