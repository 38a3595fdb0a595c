import { z } from 'zod'

/** Empty strings come from unset `${VAR}`s: drop them so "no secret" stays "no secret". */
export const secretList = z.array(z.string().nullable()).default([]).transform((xs) => xs.filter((x): x is string => !!x && x.length > 0))
