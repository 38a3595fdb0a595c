/**
 * Runs the real importer (real octokit / fetch) against the stand-ins over
 * loopback, into an in-memory event log, and projects what a log holds.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Db } from '../../clickhouse/client.ts'
import { DERIVED_TABLES } from '../../clickhouse/migrations.ts'
import { parseConfig } from '../../config/load.ts'
import type { Config } from '../../config/schema.ts'
import type { Envelope } from '../../contracts/envelope.ts'
import type { DomainEvent } from '../../contracts/events.ts'
import { MemoryEventLog } from '../helpers/memory-log.ts'
import { parseEnvelope } from '../../sources/parse.ts'
import { project } from '../../processors/project/index.ts'
import type { Projection } from '../../contracts/records.ts'
import { importGithub, type GithubImportRequest } from '../../sources/github/import/importer.ts'
import { importPagerduty, type PagerdutyImportRequest } from '../../sources/pagerduty/import/importer.ts'
import { ImportState } from '../../sources/shared/import/state.ts'
import { startGithubStandin, type GithubStandin } from '../standins/github-api.ts'
import { startPagerdutyStandin, type PagerdutyStandin } from '../standins/pagerduty-api.ts'
import type { PagerdutyWorld, RepoWorld } from './world.ts'

export const GH_TOKEN = 'ghp_standin_token_1'
export const PD_TOKEN = 'pd_standin_token_1'

export function importConfig(gh: GithubStandin | null, pd: PagerdutyStandin | null, extra: Record<string, unknown> = {}): Config {
  return parseConfig({
    github: { token: GH_TOKEN, apiUrl: gh?.url ?? 'http://127.0.0.1:9' },
    pagerduty: { apiToken: PD_TOKEN, apiUrl: pd?.url ?? 'http://127.0.0.1:9' },
    imports: { path: mkdtempSync(join(tmpdir(), 'doraflow-imports-')) },
    services: [{ name: 'checkout', team: 'payments', repositories: ['acme/checkout'], pagerdutyServices: ['PCHECK'] }],
    ...extra,
  })
}

export async function githubStandinFor(...worlds: RepoWorld[]): Promise<GithubStandin> {
  const gh = await startGithubStandin({ token: GH_TOKEN })
  for (const w of worlds) gh.repos.set(w.fullName.toLowerCase(), w.standin())
  return gh
}

export async function pagerdutyStandinFor(world: PagerdutyWorld, offsetCap?: number): Promise<PagerdutyStandin> {
  const pd = await startPagerdutyStandin({ token: PD_TOKEN, ...(offsetCap ? { offsetCap } : {}) })
  pd.incidents.push(...world.incidents)
  return pd
}

export interface Importer {
  config: Config
  log: MemoryEventLog
  state: ImportState
  github(req: Partial<GithubImportRequest>): ReturnType<typeof importGithub>
  pagerduty(req: Partial<PagerdutyImportRequest>, opts?: { offsetCap?: number }): ReturnType<typeof importPagerduty>
}

export function importer(config: Config, log = new MemoryEventLog()): Importer {
  const state = new ImportState(config.imports.path)
  return {
    config,
    log,
    state,
    github: (req) => importGithub({ repos: [], ...req }, { config, log, state, maxLimitRetries: 3 }),
    pagerduty: (req, opts = {}) => importPagerduty({ services: [], ...req }, { config, log, state, backoffMs: 50, ...opts }),
  }
}

export function eventsOf(envelopes: Envelope[]): DomainEvent[] {
  return envelopes.flatMap((e) => {
    const out = parseEnvelope(e)
    if (out.kind === 'dlq') throw new Error(`dead letter ${e.id}: ${out.reason}`)
    return out.kind === 'ok' ? out.events : []
  })
}

/** Every derived row, each table sorted, so two projections of the same facts compare equal. */
export function tables(envelopes: Envelope[], config: Config): Record<keyof Projection, string[]> {
  const p = project(eventsOf(envelopes), config)
  return Object.fromEntries(Object.entries(p).map(([k, rows]) => [k, (rows as unknown[]).map((r) => JSON.stringify(r)).sort()])) as Record<keyof Projection, string[]>
}

export const logged = (log: MemoryEventLog): Envelope[] => log.entries.map((e) => e.envelope)

/** Every derived ClickHouse table of a running doraflow, rows sorted: two databases of the same facts compare equal. */
export async function derived(db: Db): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  for (const t of DERIVED_TABLES) out[t] = (await db.query<Record<string, unknown>>(`SELECT * FROM ${t}`)).map((r) => JSON.stringify(r)).sort()
  return out
}
