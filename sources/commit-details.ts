/**
 * What METRICS.md §16 needs of a pushed commit beyond §3: the author's account and e-mail
 * (bot / agent classification) and the files it touched (service `paths`). GitHub and GitLab
 * push payloads both carry `author.username|email` and `added/modified/removed` per commit.
 */
import type { Commit } from '../contracts/events.ts'
import { BadField, at, optStr } from './fields.ts'

const FILE_LISTS = ['added', 'modified', 'removed'] as const

export function commitDetails(p: unknown, path: string): Pick<Commit, 'authorLogin' | 'authorEmail' | 'files'> {
  const lists = FILE_LISTS.map((k) => ({ k, v: at(p, `${path}.${k}`) }))
  const out: Pick<Commit, 'authorLogin' | 'authorEmail' | 'files'> = {
    authorLogin: optStr(p, `${path}.author.username`),
    authorEmail: optStr(p, `${path}.author.email`),
  }
  // No list at all: the source does not say which files (not "none").
  if (lists.every((l) => l.v === undefined || l.v === null)) return out
  const files = new Set<string>()
  for (const { k, v } of lists) {
    if (v === undefined || v === null) continue
    if (!Array.isArray(v) || v.some((f) => typeof f !== 'string')) throw new BadField(`${path}.${k} must be an array of file paths`)
    for (const f of v as string[]) files.add(f)
  }
  return { ...out, files: [...files] }
}
