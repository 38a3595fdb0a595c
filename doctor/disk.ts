import { existsSync, statfsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { Config } from '../config/schema.ts'
import { check, type Check } from './check.ts'

const GB = 1024 ** 3
const MB = 1024 ** 2

/** The nearest existing folder: the data folders may not exist before the first start. */
function existing(path: string): string {
  let p = resolve(path)
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p)
  return p
}

/** Free space where the log and the embedded ClickHouse write. Below 1 GB: warn; below 100 MB: fail (the log refuses writes when the disk is full). */
export function diskChecks(config: Config): Check[] {
  const places = [config.log.kind === 'embedded' && ['log', config.log.path], config.log.kind === 'kafka' && ['spool', config.log.spoolPath], config.clickhouse.kind === 'embedded' && ['clickhouse', config.clickhouse.path]].filter(Boolean) as [string, string][]
  return places.map(([what, path]) => {
    const s = statfsSync(existing(path))
    const free = s.bavail * s.bsize
    const share = free / (s.blocks * s.bsize)
    const line = `${what} (${path}): ${(free / GB).toFixed(1)} GB free (${(share * 100).toFixed(0)} %)`
    const data = { path, freeBytes: free, freeShare: share }
    if (free < 100 * MB) return check(`disk.${what}`, 'fail', line, 'free disk space now: the log refuses webhooks when it cannot write (senders get 503)', data)
    if (free < GB) return check(`disk.${what}`, 'warn', line, 'free some disk space or move the data folder to a bigger disk', data)
    return check(`disk.${what}`, 'ok', line, null, data)
  })
}
