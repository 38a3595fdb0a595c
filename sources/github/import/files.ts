/**
 * METRICS.md §16 paths for imported history: the commits list carries no files, so where
 * `services[].paths` split the repository (two or more services list it, one with paths) each
 * listed commit is read again with `GET /repos/{owner}/{repo}/commits/{sha}` (the same octokit
 * client: rate limits, retries and counters apply) and its record carries that answer's `files`.
 * Anywhere else no request is made: paths need files only where they split a repository.
 */
import pLimit from 'p-limit'
import type { Config } from '../../../config/schema.ts'
import { PathRules } from '../../../processors/project/paths.ts'
import type { ImportState } from '../../shared/import/state.ts'
import type { GithubApi } from './client.ts'
import type { GithubApiRecord, RepoRef } from './records.ts'

type CommitRecord = Extract<GithubApiRecord, { resource: 'commit' }>

/**
 * Commits read at once: the throttling plugin queues and caps the total anyway; this only keeps
 * one page's 100 commits from all entering its queue together.
 */
const FILES_CONCURRENCY = 10
/** The state's note that a commit's record with files is in the log (commits never change). */
const LOGGED = 'files'

export interface CommitPage {
  records: GithubApiRecord[]
  /** Call once the records are durable in the log. */
  logged(): void
}

/**
 * The commits list's records, and the checkpoint its read goes under: with files it is another
 * read (its own checkpoint and ETag), so that adding `paths` to a repository imported before
 * reads its history again for the files instead of a 304.
 */
export interface CommitRecords {
  resource: 'commits' | 'commits_with_files'
  page(commits: Record<string, unknown>[]): Promise<CommitPage>
}

/** `asked`: the name the import was given (the config's spelling); `repository`: as GitHub answered it. */
export function commitRecordsFor(gh: GithubApi, asked: string, repository: RepoRef, config: Pick<Config, 'services'>, state: ImportState, scope: string): CommitRecords {
  const plain = (commit: Record<string, unknown>): CommitRecord => ({ resource: 'commit', repository, commit })
  const rules = new PathRules(config)
  if (![asked, repository.full_name].some((n) => rules.splits(n.toLowerCase()))) return { resource: 'commits', page: async (commits) => ({ records: commits.map(plain), logged: () => {} }) }
  const [owner, repo] = repository.full_name.split('/') as [string, string]
  const limit = pLimit(FILES_CONCURRENCY)
  const page = async (commits: Record<string, unknown>[]): Promise<CommitPage> => {
    // A re-read list page (its ETag changed) asks again only for commits not yet logged with files.
    const wanted = commits.filter((c) => state.version(scope, 'commit_files', String(c['sha'])) !== LOGGED)
    const records = await Promise.all(
      wanted.map((commit) =>
        limit(async (): Promise<CommitRecord> => {
          // Past 300 files GitHub pages the list (Link headers, up to 3000): every page's files.
          const files: Record<string, unknown>[] = []
          for await (const { data } of gh.paginate.iterator('GET /repos/{owner}/{repo}/commits/{ref}', { owner, repo, ref: String(commit['sha']) })) {
            files.push(...(((data as { files?: unknown[] }).files ?? []) as Record<string, unknown>[]))
          }
          return { ...plain(commit), files }
        }),
      ),
    )
    return { records, logged: () => state.saveVersions(scope, 'commit_files', wanted.map((c) => [String(c['sha']), LOGGED])) }
  }
  return { resource: 'commits_with_files', page }
}
