/**
 * A stand-in for GitLab's REST API v4, for the importer's tests: plain
 * node:http, records shaped like GitLab's documented responses (Commits,
 * Deployments, Merge requests, Issues, Groups API examples) with a scenario's
 * values; offset pagination with `page`/`per_page` and the `X-Page`,
 * `X-Per-Page`, `X-Next-Page` (empty on the last page), `X-Prev-Page`,
 * `X-Total`, `X-Total-Pages` headers; `PRIVATE-TOKEN` checked (401 otherwise);
 * injected 429s (with `Retry-After` or `RateLimit-Reset`) and 502s.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'

export interface GCommit {
  id: string
  parents: string[]
  /** ISO, as GitLab writes it (`2026-08-01T10:01:00.000+00:00`). */
  at: string
  message: string
  author: string
}
export interface GDeployment {
  id: number
  iid: number
  sha: string
  status: 'success' | 'failed' | 'running' | 'canceled'
  environment: string
  tier: string
  createdAt: string
  finishedAt: string
  jobUrl: string
}
export interface GMerge {
  iid: number
  title: string
  createdAt: string
  mergedAt: string
  mergeCommitSha: string
}
export interface GIssue {
  iid: number
  title: string
  description: string
  type: 'incident' | 'issue'
  labels: string[]
  createdAt: string
  closedAt: string | null
  author: string
}
export interface GProject {
  id: number
  path: string
  defaultBranch: string
  /** Newest first, as `repository/commits` lists them. */
  commits: GCommit[]
  deployments: GDeployment[]
  merges: GMerge[]
  issues: GIssue[]
}

export type GlFault = { kind: 'rate-limited'; retryAfterSeconds?: number; resetInSeconds?: number } | { kind: 'bad-gateway' }

export interface GitlabStandin {
  url: string
  projects: GProject[]
  groups: Map<string, string[]>
  faults: { fault: GlFault; match: (pathAndQuery: string) => boolean }[]
  /** Every request's path and query, in order. */
  requests: string[]
  /** Called with each request's path and query as it arrives (a test kills the importer here). */
  onRequest?: ((pathAndQuery: string) => void) | undefined
  close(): Promise<void>
}

const user = (name: string) => ({ id: 1, name, username: name.toLowerCase().replace(/\W+/g, '.'), state: 'active', avatar_url: null, web_url: `https://gitlab.example.com/${name}` })

function commitJson(p: GProject, c: GCommit) {
  return {
    id: c.id,
    short_id: c.id.slice(0, 8),
    created_at: c.at,
    parent_ids: c.parents,
    title: c.message.split('\n')[0],
    message: c.message,
    author_name: c.author,
    author_email: `${c.author.toLowerCase()}@example.com`,
    authored_date: c.at,
    committer_name: c.author,
    committer_email: `${c.author.toLowerCase()}@example.com`,
    committed_date: c.at,
    trailers: {},
    extended_trailers: {},
    web_url: `https://gitlab.example.com/${p.path}/-/commit/${c.id}`,
  }
}

function deploymentJson(p: GProject, d: GDeployment) {
  return {
    id: d.id,
    iid: d.iid,
    ref: p.defaultBranch,
    sha: d.sha,
    created_at: d.createdAt,
    updated_at: d.finishedAt,
    finished_at: d.status === 'running' ? null : d.finishedAt,
    status: d.status,
    user: user('Administrator'),
    environment: { id: 9, name: d.environment, slug: d.environment, external_url: null, tier: d.tier, state: 'available', created_at: d.createdAt, updated_at: d.finishedAt },
    deployable: {
      id: 1000 + d.id,
      status: d.status,
      stage: 'deploy',
      name: 'deploy',
      ref: p.defaultBranch,
      tag: false,
      created_at: d.createdAt,
      started_at: d.createdAt,
      finished_at: d.finishedAt,
      web_url: d.jobUrl,
      commit: { id: d.sha, short_id: d.sha.slice(0, 8) },
      pipeline: { id: 2000 + d.id, sha: d.sha, ref: p.defaultBranch, status: d.status },
    },
  }
}

function mergeJson(p: GProject, m: GMerge) {
  return {
    id: 9000 + m.iid,
    iid: m.iid,
    project_id: p.id,
    title: m.title,
    description: '',
    state: 'merged',
    created_at: m.createdAt,
    updated_at: m.mergedAt,
    merged_by: user('Administrator'),
    merge_user: user('Administrator'),
    merged_at: m.mergedAt,
    closed_at: null,
    target_branch: p.defaultBranch,
    source_branch: `feature-${m.iid}`,
    sha: m.mergeCommitSha,
    merge_commit_sha: m.mergeCommitSha,
    squash_commit_sha: null,
    web_url: `https://gitlab.example.com/${p.path}/-/merge_requests/${m.iid}`,
  }
}

function issueJson(p: GProject, i: GIssue) {
  return {
    id: 7000 + i.iid,
    iid: i.iid,
    project_id: p.id,
    title: i.title,
    description: i.description,
    state: i.closedAt ? 'closed' : 'opened',
    created_at: i.createdAt,
    updated_at: i.closedAt ?? i.createdAt,
    closed_at: i.closedAt,
    closed_by: i.closedAt ? user(i.author) : null,
    labels: i.labels,
    author: user(i.author),
    type: i.type.toUpperCase(),
    issue_type: i.type,
    severity: 'UNKNOWN',
    web_url: `https://gitlab.example.com/${p.path}/-/issues/${i.iid}`,
  }
}

const inWindow = (t: string, from: string | null, to: string | null) => (!from || Date.parse(t) >= Date.parse(from)) && (!to || Date.parse(t) <= Date.parse(to))

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

function paged(res: ServerResponse, q: URLSearchParams, all: unknown[]): void {
  const perPage = Math.min(100, Number(q.get('per_page') ?? 20))
  const page = Math.max(1, Number(q.get('page') ?? 1))
  const pages = Math.max(1, Math.ceil(all.length / perPage))
  send(res, 200, all.slice((page - 1) * perPage, page * perPage), {
    'x-page': String(page),
    'x-per-page': String(perPage),
    'x-next-page': page < pages ? String(page + 1) : '',
    'x-prev-page': page > 1 ? String(page - 1) : '',
    'x-total': String(all.length),
    'x-total-pages': String(pages),
  })
}

export async function startGitlabStandin(o: { token: string; perPage?: number }): Promise<GitlabStandin> {
  const s: GitlabStandin = { url: '', projects: [], groups: new Map(), faults: [], requests: [], close: async () => {} }
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://standin')
    const pq = `${url.pathname}${url.search}`
    s.requests.push(pq)
    s.onRequest?.(pq)
    const fi = s.faults.findIndex((f) => f.match(pq))
    if (fi >= 0) {
      const { fault } = s.faults.splice(fi, 1)[0]!
      if (fault.kind === 'bad-gateway') return send(res, 502, { message: '502 Bad Gateway' })
      const headers: Record<string, string> = { 'ratelimit-limit': '2000', 'ratelimit-remaining': '0', 'ratelimit-observed': '2000' }
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds)
      if (fault.resetInSeconds !== undefined) headers['ratelimit-reset'] = String(Math.ceil(Date.now() / 1000) + fault.resetInSeconds)
      return send(res, 429, { message: 'Retry later' }, headers)
    }
    if (req.headers['private-token'] !== o.token) return send(res, 401, { message: '401 Unauthorized' })
    const q = url.searchParams
    if (o.perPage) q.set('per_page', String(Math.min(o.perPage, Number(q.get('per_page') ?? 20))))
    const parts = url.pathname.replace(/^\/api\/v4/, '').split('/').filter(Boolean).map(decodeURIComponent)
    if (parts[0] === 'groups' && parts[2] === 'projects') {
      const members = s.groups.get(parts[1]!.toLowerCase())
      if (!members) return send(res, 404, { message: '404 Group Not Found' })
      return paged(res, q, members.map((path) => s.projects.find((p) => p.path === path)).filter((p) => p).map((p) => ({ id: p!.id, name: p!.path.split('/').at(-1), path_with_namespace: p!.path, default_branch: p!.defaultBranch })))
    }
    if (parts[0] !== 'projects' || !parts[1]) return send(res, 404, { message: '404 Not Found' })
    const p = s.projects.find((x) => String(x.id) === parts[1] || x.path.toLowerCase() === parts[1]!.toLowerCase())
    if (!p) return send(res, 404, { message: '404 Project Not Found' })
    const rest = parts.slice(2).join('/')
    const after = q.get('updated_after')
    const before = q.get('updated_before')
    switch (rest) {
      case '':
        return send(res, 200, { id: p.id, name: p.path.split('/').at(-1), path: p.path.split('/').at(-1), path_with_namespace: p.path, default_branch: p.defaultBranch, web_url: `https://gitlab.example.com/${p.path}`, visibility: 'private' })
      case 'deployments':
        return paged(res, q, p.deployments.filter((d) => inWindow(d.finishedAt, after, before)).map((d) => deploymentJson(p, d)))
      case 'repository/commits':
        if (q.get('ref_name') !== p.defaultBranch) return send(res, 200, [])
        return paged(res, q, p.commits.filter((c) => inWindow(c.at, q.get('since'), q.get('until'))).map((c) => commitJson(p, c)))
      case 'merge_requests':
        return paged(res, q, q.get('state') === 'merged' ? p.merges.filter((m) => inWindow(m.mergedAt, after, before)).map((m) => mergeJson(p, m)) : [])
      case 'issues':
        return paged(res, q, p.issues.filter((i) => inWindow(i.closedAt ?? i.createdAt, after, before)).map((i) => issueJson(p, i)))
      default:
        return send(res, 404, { message: '404 Not Found' })
    }
  }
  const server: Server = createServer(handle)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const addr = server.address() as { port: number }
  s.url = `http://127.0.0.1:${addr.port}/api/v4`
  s.close = () => new Promise<void>((r) => server.close(() => r()))
  return s
}
