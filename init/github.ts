import { githubClient, type GithubApi } from '../sources/github/import/client.ts'

/** What `init --from-github` needs of an organisation: its live repositories and, where readable, who owns them. */
export interface OrgInventory {
  repos: { fullName: string; name: string; team: string | null }[]
  /** Archived repositories, left out (they deploy nothing). */
  archived: number
  /** Why teams could not be read (a token without read:org), or null. */
  teamsUnreadable: string | null
}

function explain(e: unknown, org: string, apiUrl: string): Error {
  const status = (e as { status?: number }).status
  if (status === 401) return new Error(`GitHub (${apiUrl}) refused the token: set GITHUB_TOKEN to a token with read access to ${org}'s repositories`)
  if (status === 404) return new Error(`GitHub (${apiUrl}) has no organisation ${JSON.stringify(org)}, or the token cannot see it`)
  if (status === 403) return new Error(`GitHub (${apiUrl}) answered 403 for ${org}: a rate limit or missing scope (${(e as Error).message})`)
  return new Error(`cannot list the repositories of ${org} at ${apiUrl}: ${(e as Error).message}`)
}

export async function readOrg(o: { org: string; apiUrl: string; token?: string }): Promise<OrgInventory> {
  // The importer's client: pagination by the Link header, rate limits honoured, 5xx retried.
  const octokit: GithubApi = githubClient({ token: o.token ?? '', apiUrl: o.apiUrl, run: { counters: { recordsRead: 0, newFacts: 0, requests: 0, notModified: 0, retries: 0, waitedOnLimitsMs: 0 }, changed: () => {} } })
  const all = <T>(route: string, params: Record<string, string>) => octokit.paginate(route, { ...params, per_page: 100 }) as Promise<T[]>
  let repos: { full_name: string; name: string; archived?: boolean }[]
  try {
    repos = await all('GET /orgs/{org}/repos', { org: o.org, type: 'all', sort: 'full_name' })
  } catch (e) {
    throw explain(e, o.org, o.apiUrl)
  }
  const owner = new Map<string, string>()
  let teamsUnreadable: string | null = null
  try {
    const teams = await all<{ slug: string }>('GET /orgs/{org}/teams', { org: o.org })
    for (const t of teams) {
      for (const r of await all<{ full_name: string }>('GET /orgs/{org}/teams/{team_slug}/repos', { org: o.org, team_slug: t.slug })) {
        // A repository of several teams goes to the first listed; the user can move it.
        if (!owner.has(r.full_name.toLowerCase())) owner.set(r.full_name.toLowerCase(), t.slug)
      }
    }
  } catch (e) {
    const status = (e as { status?: number }).status
    if (status !== 403 && status !== 404) throw explain(e, o.org, o.apiUrl)
    teamsUnreadable = `GitHub answered ${status} for the teams of ${o.org} (the token needs read:org)`
  }
  const live = repos.filter((r) => !r.archived)
  return {
    repos: live.map((r) => ({ fullName: r.full_name, name: r.name, team: owner.get(r.full_name.toLowerCase()) ?? null })),
    archived: repos.length - live.length,
    teamsUnreadable,
  }
}
