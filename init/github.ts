import { Octokit } from '@octokit/core'

/** What `init --from-github` needs of an organisation: its live repositories and, where readable, who owns them. */
export interface OrgInventory {
  repos: { fullName: string; name: string; team: string | null }[]
  /** Archived repositories, left out (they deploy nothing). */
  archived: number
  /** Why teams could not be read (a token without read:org), or null. */
  teamsUnreadable: string | null
}

const PER_PAGE = 100

/** Every page of a list endpoint (per_page=100; GitHub's Link header says whether there is a next page). */
async function all<T>(octokit: Octokit, route: string, params: Record<string, string>): Promise<T[]> {
  const out: T[] = []
  for (let page = 1; ; page++) {
    const res = await octokit.request(route, { ...params, per_page: PER_PAGE, page })
    out.push(...(res.data as T[]))
    if (!/rel="next"/.test(String(res.headers.link ?? ''))) return out
  }
}

function explain(e: unknown, org: string, apiUrl: string): Error {
  const status = (e as { status?: number }).status
  if (status === 401) return new Error(`GitHub (${apiUrl}) refused the token: set GITHUB_TOKEN to a token with read access to ${org}'s repositories`)
  if (status === 404) return new Error(`GitHub (${apiUrl}) has no organisation ${JSON.stringify(org)}, or the token cannot see it`)
  if (status === 403) return new Error(`GitHub (${apiUrl}) answered 403 for ${org}: a rate limit or missing scope (${(e as Error).message})`)
  return new Error(`cannot list the repositories of ${org} at ${apiUrl}: ${(e as Error).message}`)
}

export async function readOrg(o: { org: string; apiUrl: string; token?: string }): Promise<OrgInventory> {
  const octokit = new Octokit({ baseUrl: o.apiUrl.replace(/\/+$/, ''), ...(o.token ? { auth: o.token } : {}), request: { retries: 0 } })
  let repos: { full_name: string; name: string; archived?: boolean }[]
  try {
    repos = await all(octokit, 'GET /orgs/{org}/repos', { org: o.org, type: 'all', sort: 'full_name' })
  } catch (e) {
    throw explain(e, o.org, o.apiUrl)
  }
  const owner = new Map<string, string>()
  let teamsUnreadable: string | null = null
  try {
    const teams = await all<{ slug: string }>(octokit, 'GET /orgs/{org}/teams', { org: o.org })
    for (const t of teams) {
      for (const r of await all<{ full_name: string }>(octokit, 'GET /orgs/{org}/teams/{team_slug}/repos', { org: o.org, team_slug: t.slug })) {
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
