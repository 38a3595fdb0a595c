/**
 * A stand-in for GitHub's REST API (2022-11-28), for the importer's tests and
 * bench: plain node:http, answers shaped like the real ones (each record is the
 * documented example in ../shared/fixtures/api/github with a scenario's values
 * put in), paginated with `per_page`/`page` and a `Link` header, ETags tied to
 * the token with `If-None-Match` → 304, and faults injected on demand: 403
 * secondary rate limits with `Retry-After`, 429s, 502s, a primary limit at 0
 * with `X-RateLimit-Reset`, a GHES answering `0/0`, bad tokens (401), unknown
 * repositories (404). The real octokit client talks to it over loopback.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { resolve } from 'node:path'

const FIXTURES = resolve(import.meta.dirname, '../../../shared/fixtures/api/github')
const example = (f: string): Record<string, any> => (JSON.parse(readFileSync(resolve(FIXTURES, f), 'utf8')) as Record<string, any>[])[0]!
const TEMPLATE = {
  commit: example('commits.list.json'),
  deployment: example('deployments.list.json'),
  status: example('deployment_statuses.list.json'),
  pull: example('pulls.list.json'),
  issue: example('issues.list.json'),
  event: example('issue_events.list.json'),
}

export interface SCommit {
  sha: string
  parents: string[]
  /** committer date */
  at: string
  authorAt?: string
  message?: string
  author?: string
  /** The author's account (the list's top-level `author.login`); default the fixture's. */
  login?: string
  /** What "Get a commit" lists in `files` (none when absent). */
  files?: SFile[]
}
/** A changed file of "Get a commit": a rename names the file it was. */
export interface SFile {
  filename: string
  status: 'added' | 'modified' | 'removed' | 'renamed'
  previous_filename?: string
}
export interface SStatus {
  id: number
  state: string
  at: string
  environment?: string
}
export interface SDeployment {
  id: number
  sha: string
  environment: string
  createdAt: string
  /** GitHub moves it with every status: never the deployment time. */
  updatedAt?: string
  productionEnvironment?: boolean
  statuses: SStatus[]
}
export interface SPull {
  number: number
  title?: string
  createdAt: string
  mergedAt: string | null
  mergeCommitSha: string | null
  updatedAt?: string
}
export interface SIssueEvent {
  id: number
  event: 'labeled' | 'unlabeled' | 'closed' | 'reopened' | 'assigned' | 'mentioned'
  at: string
  label?: string
}
export interface SIssue {
  number: number
  title: string
  body: string
  labels: string[]
  createdAt: string
  closedAt: string | null
  updatedAt: string
  events: SIssueEvent[]
  /** The issues list returns pull requests too (with a `pull_request` key). */
  isPull?: boolean
}
export interface SRepo {
  fullName: string
  defaultBranch: string
  /** Default-branch head first is not required: the list is computed from `head`. */
  commits: SCommit[]
  head: string
  deployments: SDeployment[]
  pulls: SPull[]
  issues: SIssue[]
}

export type Fault =
  | { kind: 'secondary'; retryAfter: number; status?: 403 | 429 }
  | { kind: 'too-many'; retryAfter?: number } // a bare 429
  | { kind: 'bad-gateway' }
  | { kind: 'primary'; resetInSeconds: number }
  | { kind: 'forbidden' } // a permission refusal (403 without any rate-limit sign)

export interface FaultRule {
  fault: Fault
  /** Which requests (path + query); default: any. */
  match?: (path: string) => boolean
  /** How many requests it hits (default 1). */
  times?: number
}

export interface GithubStandinOptions {
  /** The token it accepts (several: each is its own user, with ETags of its own). */
  token: string | string[]
  /** GitHub Enterprise Server with rate limiting off: every answer says limit 0, remaining 0. */
  ghesZeroLimits?: boolean
  /** Requests before the primary budget runs out for this many seconds (then `primary` answers until reset). */
  rateLimit?: number
}

export interface GithubStandin {
  url: string
  repos: Map<string, SRepo>
  orgs: Map<string, string[]>
  faults: FaultRule[]
  /** Requests answered, by route kind, and 304s. */
  stats: { requests: number; notModified: number; faults: number; byRoute: Record<string, number>; paths: string[] }
  /** Called on each request before it is answered (the tests kill an import half-way with it). */
  onRequest?: (path: string) => void
  close(): Promise<void>
}

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  const text = body === undefined ? '' : JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers, ...(text ? { 'content-length': String(Buffer.byteLength(text)) } : {}) })
  res.end(text)
}

const user = (login: string) => ({ ...TEMPLATE.commit['author'], login })

function commitJson(repo: SRepo, c: SCommit, base: string): Record<string, any> {
  const t = TEMPLATE.commit
  const who = { name: c.author ?? 'Monalisa Octocat', email: 'support@github.com' }
  return {
    ...t,
    url: `${base}/repos/${repo.fullName}/commits/${c.sha}`,
    sha: c.sha,
    node_id: Buffer.from(`C_${c.sha}`).toString('base64'),
    html_url: `https://github.com/${repo.fullName}/commit/${c.sha}`,
    comments_url: `${base}/repos/${repo.fullName}/commits/${c.sha}/comments`,
    author: c.login ? { ...t['author'], login: c.login } : t['author'],
    commit: { ...t['commit'], author: { ...who, date: c.authorAt ?? c.at }, committer: { ...who, date: c.at }, message: c.message ?? `change ${c.sha.slice(0, 7)}`, tree: { ...t['commit']['tree'], sha: c.sha } },
    parents: c.parents.map((p) => ({ url: `${base}/repos/${repo.fullName}/commits/${p}`, sha: p })),
  }
}

const FILES_PER_PAGE = 300

function commitDetailJson(repo: SRepo, c: SCommit, base: string, page: number): Record<string, any> {
  const files = (c.files ?? []).slice((page - 1) * FILES_PER_PAGE, page * FILES_PER_PAGE).map((f, i) => {
    const blob = createHash('sha1').update(`${c.sha}:${f.filename}`).digest('hex')
    const changes = f.status === 'renamed' ? 0 : 1 + i
    const path = encodeURIComponent(f.filename).replace(/%2F/g, '/')
    return {
      sha: blob,
      filename: f.filename,
      status: f.status,
      additions: f.status === 'removed' ? 0 : changes,
      deletions: f.status === 'added' ? 0 : f.status === 'removed' ? changes : 0,
      changes,
      blob_url: `https://github.com/${repo.fullName}/blob/${c.sha}/${path}`,
      raw_url: `https://github.com/${repo.fullName}/raw/${c.sha}/${path}`,
      contents_url: `${base}/repos/${repo.fullName}/contents/${path}?ref=${c.sha}`,
      ...(f.status === 'renamed' ? {} : { patch: '@@ -0,0 +1 @@\n+change' }),
      ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
    }
  })
  const additions = files.reduce((n, f) => n + f.additions, 0)
  const deletions = files.reduce((n, f) => n + f.deletions, 0)
  return { ...commitJson(repo, c, base), stats: { total: additions + deletions, additions, deletions }, files }
}

function deploymentJson(repo: SRepo, d: SDeployment, base: string): Record<string, any> {
  return {
    ...TEMPLATE.deployment,
    url: `${base}/repos/${repo.fullName}/deployments/${d.id}`,
    id: d.id,
    sha: d.sha,
    ref: repo.defaultBranch,
    environment: d.environment,
    original_environment: d.environment,
    created_at: d.createdAt,
    updated_at: d.updatedAt ?? d.statuses.map((s) => s.at).sort().at(-1) ?? d.createdAt,
    statuses_url: `${base}/repos/${repo.fullName}/deployments/${d.id}/statuses`,
    repository_url: `${base}/repos/${repo.fullName}`,
    production_environment: d.productionEnvironment ?? false,
    transient_environment: false,
  }
}

function statusJson(repo: SRepo, d: SDeployment, s: SStatus, base: string): Record<string, any> {
  return {
    ...TEMPLATE.status,
    url: `${base}/repos/${repo.fullName}/deployments/${d.id}/statuses/${s.id}`,
    id: s.id,
    state: s.state,
    environment: s.environment ?? d.environment,
    target_url: `https://ci.example.com/deploy/${d.id}/${s.id}`,
    environment_url: '',
    log_url: `https://ci.example.com/deploy/${d.id}/${s.id}`,
    created_at: s.at,
    updated_at: s.at,
    deployment_url: `${base}/repos/${repo.fullName}/deployments/${d.id}`,
    repository_url: `${base}/repos/${repo.fullName}`,
  }
}

function pullJson(repo: SRepo, p: SPull): Record<string, any> {
  return {
    ...TEMPLATE.pull,
    number: p.number,
    html_url: `https://github.com/${repo.fullName}/pull/${p.number}`,
    state: 'closed',
    title: p.title ?? `PR ${p.number}`,
    created_at: p.createdAt,
    updated_at: p.updatedAt ?? p.mergedAt ?? p.createdAt,
    closed_at: p.mergedAt ?? p.updatedAt ?? p.createdAt,
    merged_at: p.mergedAt,
    merge_commit_sha: p.mergeCommitSha,
  }
}

function issueJson(repo: SRepo, i: SIssue, base: string): Record<string, any> {
  const label = TEMPLATE.issue['labels'][0]
  const { pull_request: _, ...template } = TEMPLATE.issue
  return {
    ...template,
    url: `${base}/repos/${repo.fullName}/issues/${i.number}`,
    html_url: `https://github.com/${repo.fullName}/issues/${i.number}`,
    number: i.number,
    state: i.closedAt ? 'closed' : 'open',
    title: i.title,
    body: i.body,
    labels: i.labels.map((name) => ({ ...label, name })),
    created_at: i.createdAt,
    closed_at: i.closedAt,
    updated_at: i.updatedAt,
    ...(i.isPull ? { pull_request: TEMPLATE.issue['pull_request'] } : {}),
  }
}

function eventJson(repo: SRepo, i: SIssue, e: SIssueEvent, base: string): Record<string, any> {
  const { label: _, ...t } = TEMPLATE.event
  return {
    ...t,
    id: e.id,
    url: `${base}/repos/${repo.fullName}/issues/events/${e.id}`,
    event: e.event,
    created_at: e.at,
    commit_id: null,
    commit_url: null,
    ...(e.label ? { label: { name: e.label, color: 'd73a4a' } } : {}),
  }
}

const histories = new WeakMap<SRepo, { key: string; list: SCommit[] }>()

/** The commits reachable from `head`, newest committer date first (then sha), as the list endpoint gives them. */
function history(repo: SRepo, head: string): SCommit[] {
  const key = `${head}:${repo.commits.length}`
  const hit = histories.get(repo)
  if (hit?.key === key) return hit.list
  const list = walkHistory(repo, head)
  histories.set(repo, { key, list })
  return list
}

function walkHistory(repo: SRepo, head: string): SCommit[] {
  const bySha = new Map(repo.commits.map((c) => [c.sha, c]))
  const out: SCommit[] = []
  const seen = new Set<string>()
  const stack = [head]
  while (stack.length) {
    const sha = stack.pop()!
    if (seen.has(sha)) continue
    seen.add(sha)
    const c = bySha.get(sha)
    if (!c) continue
    out.push(c)
    stack.push(...c.parents)
  }
  return out.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.sha < b.sha ? 1 : -1))
}

export async function startGithubStandin(opts: GithubStandinOptions): Promise<GithubStandin> {
  const repos = new Map<string, SRepo>()
  const orgs = new Map<string, string[]>()
  const faults: FaultRule[] = []
  const stats = { requests: 0, notModified: 0, faults: 0, byRoute: {} as Record<string, number>, paths: [] as string[] }
  let budget = opts.rateLimit ?? Infinity
  let resetAt = 0
  const self: GithubStandin = { url: '', repos, orgs, faults, stats, close: async () => {} }

  const limitHeaders = (): Record<string, string> =>
    opts.ghesZeroLimits
      ? { 'x-ratelimit-limit': '0', 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '0', 'x-ratelimit-resource': 'core' }
      : {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': String(Number.isFinite(budget) ? Math.max(0, budget) : 4999),
          'x-ratelimit-reset': String(Math.ceil((resetAt || Date.now() + 3600_000) / 1000)),
          'x-ratelimit-used': '1',
          'x-ratelimit-resource': 'core',
        }

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    stats.requests++
    const base = `http://${req.headers.host}`
    const u = new URL(req.url ?? '/', base)
    stats.paths.push(u.pathname + u.search)
    self.onRequest?.(u.pathname + u.search)
    const common = { 'x-github-api-version-selected': '2022-11-28', 'x-github-request-id': `STANDIN:${stats.requests}` }
    const fail = (status: number, message: string, extra: Record<string, string> = {}) => send(res, status, { message, documentation_url: 'https://docs.github.com/rest', status: String(status) }, { ...common, ...limitHeaders(), ...extra })

    const auth = req.headers.authorization ?? ''
    const tokens = Array.isArray(opts.token) ? opts.token : [opts.token]
    if (!tokens.some((t) => auth === `token ${t}` || auth === `Bearer ${t}`)) return fail(401, 'Bad credentials')

    const rule = faults.find((f) => (f.times ?? 1) > 0 && (!f.match || f.match(u.pathname + u.search)))
    if (rule) {
      rule.times = (rule.times ?? 1) - 1
      stats.faults++
      const f = rule.fault
      switch (f.kind) {
        case 'secondary':
          return fail(f.status ?? 403, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID STANDIN.', { 'retry-after': String(f.retryAfter) })
        case 'too-many':
          return fail(429, 'Too Many Requests', f.retryAfter !== undefined ? { 'retry-after': String(f.retryAfter) } : {})
        case 'bad-gateway':
          res.writeHead(502, { 'content-type': 'text/html' })
          return void res.end('<html><body><h1>502 Bad Gateway</h1></body></html>')
        case 'forbidden':
          return fail(403, 'Resource not accessible by personal access token')
        case 'primary':
          budget = 0
          resetAt = Date.now() + f.resetInSeconds * 1000
          break
        default: {
          const never: never = f
          return fail(500, `unknown fault ${String(never)}`)
        }
      }
    }
    if (!opts.ghesZeroLimits && Number.isFinite(budget)) {
      if (budget <= 0 && Date.now() >= resetAt) budget = opts.rateLimit ?? Infinity
      if (budget <= 0) return fail(403, 'API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID STANDIN.')
      budget--
    }

    const route = routeOf(u.pathname)
    stats.byRoute[route.kind] = (stats.byRoute[route.kind] ?? 0) + 1
    const notModified = () => void stats.notModified++
    // Records are shaped after slicing: a page costs its 100 records, not the whole history.
    const list = <T>(items: T[], shape: (x: T) => unknown = (x) => x) => paginate(req, res, u, items, shape, common, limitHeaders, notModified)
    const answer = (body: unknown) => conditional(req, res, body, common, limitHeaders, {}, notModified)
    switch (route.kind) {
      case 'user':
        return answer({ ...user('importer'), type: 'User' })
      case 'rate_limit': {
        if (opts.ghesZeroLimits) return fail(404, 'Rate limiting is not enabled.')
        const core = { limit: 5000, remaining: Number.isFinite(budget) ? budget : 4999, reset: Math.ceil((resetAt || Date.now() + 3600_000) / 1000), used: 1 }
        return send(res, 200, { resources: { core }, rate: core }, { ...common, ...limitHeaders() })
      }
      case 'org': {
        const names = orgs.get(route.org.toLowerCase())
        if (!names) return fail(404, 'Not Found')
        return list(names, (n) => repoJson(repos.get(n.toLowerCase())!, base))
      }
      case 'repo': {
        const repo = repos.get(route.repo.toLowerCase())
        if (!repo) return fail(404, 'Not Found')
        switch (route.rest) {
          case '':
            return answer(repoJson(repo, base))
          case '/deployments':
            return list([...repo.deployments].sort((a, b) => b.id - a.id), (d) => deploymentJson(repo, d, base))
          case '/commits': {
            const sha = u.searchParams.get('sha') ?? repo.defaultBranch
            const since = u.searchParams.get('since')
            const until = u.searchParams.get('until')
            const head = sha === repo.defaultBranch ? repo.head : sha
            if (head !== repo.head && !repo.commits.some((c) => c.sha === head)) return fail(404, 'No commit found for SHA: ' + sha)
            const cs = history(repo, head).filter((c) => (!since || Date.parse(c.at) >= Date.parse(since)) && (!until || Date.parse(c.at) <= Date.parse(until)))
            return list(cs, (c) => commitJson(repo, c, base))
          }
          case '/pulls':
            return list(
              repo.pulls
                .filter(() => u.searchParams.get('state') === 'closed')
                .sort((a, b) => Date.parse(b.updatedAt ?? b.mergedAt ?? b.createdAt) - Date.parse(a.updatedAt ?? a.mergedAt ?? a.createdAt) || b.number - a.number),
              (p) => pullJson(repo, p),
            )
          case '/issues': {
            const since = u.searchParams.get('since')
            return list(
              repo.issues
                .filter((i) => !since || Date.parse(i.updatedAt) >= Date.parse(since))
                .sort((a, b) => b.number - a.number),
              (i) => issueJson(repo, i, base),
            )
          }
        }
        // "Get a commit": the list's record with `stats` and `files` (GitHub's documented response).
        const one = /^\/commits\/([0-9a-f]{40})$/.exec(route.rest)
        if (one) {
          const c = repo.commits.find((x) => x.sha === one[1])
          if (!c) return fail(422, `No commit found for SHA: ${one[1]}`)
          // Past 300 files GitHub pages the file list (`Link` headers), each page the same commit with the next files.
          const page = Math.max(1, Number(u.searchParams.get('page') ?? 1) || 1)
          const last = Math.max(1, Math.ceil((c.files ?? []).length / FILES_PER_PAGE))
          return conditional(req, res, commitDetailJson(repo, c, base, page), common, limitHeaders, pageLinks(u, page, last), notModified)
        }
        const statuses = /^\/deployments\/(\d+)\/statuses$/.exec(route.rest)
        if (statuses) {
          const d = repo.deployments.find((x) => x.id === Number(statuses[1]))
          if (!d) return fail(404, 'Not Found')
          return list([...d.statuses].sort((a, b) => b.id - a.id), (s) => statusJson(repo, d, s, base))
        }
        const events = /^\/issues\/(\d+)\/events$/.exec(route.rest)
        if (events) {
          const i = repo.issues.find((x) => x.number === Number(events[1]))
          if (!i) return fail(404, 'Not Found')
          return list(i.events, (e) => eventJson(repo, i, e, base))
        }
        return fail(404, 'Not Found')
      }
      default:
        return fail(404, 'Not Found')
    }
  }

  const server: Server = createServer(handle)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const addr = server.address()
  self.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
  self.close = () =>
    new Promise<void>((r) => {
      server.close(() => r())
      server.closeAllConnections()
    })
  return self
}

function repoJson(repo: SRepo, base: string): Record<string, any> {
  const [owner, name] = repo.fullName.split('/')
  return { id: 1, name, full_name: repo.fullName, owner: user(owner!), private: false, html_url: `https://github.com/${repo.fullName}`, url: `${base}/repos/${repo.fullName}`, default_branch: repo.defaultBranch, archived: false, fork: false }
}

type Route = { kind: 'user' } | { kind: 'rate_limit' } | { kind: 'org'; org: string } | { kind: 'repo'; repo: string; rest: string } | { kind: 'unknown' }

function routeOf(path: string): Route {
  if (path === '/user') return { kind: 'user' }
  if (path === '/rate_limit') return { kind: 'rate_limit' }
  const org = /^\/orgs\/([^/]+)\/repos$/.exec(path)
  if (org) return { kind: 'org', org: decodeURIComponent(org[1]!) }
  const repo = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path)
  if (repo) return { kind: 'repo', repo: `${decodeURIComponent(repo[1]!)}/${decodeURIComponent(repo[2]!)}`, rest: repo[3] ?? '' }
  return { kind: 'unknown' }
}

/** GitHub ties an ETag to the token that read it: a weak hash of the body and the token. */
function etagOf(req: IncomingMessage, text: string): string {
  return `W/"${createHash('sha256').update(req.headers.authorization ?? '').update(text).digest('hex').slice(0, 32)}"`
}

function conditional(req: IncomingMessage, res: ServerResponse, body: unknown, common: Record<string, string>, limits: () => Record<string, string>, extra: Record<string, string> = {}, onNotModified?: () => void): void {
  const text = JSON.stringify(body)
  const etag = etagOf(req, text)
  if (req.headers['if-none-match'] === etag) {
    onNotModified?.()
    // A 304 does not count against the primary limit on github.com; it says so in the same headers.
    res.writeHead(304, { etag, ...common, ...limits(), ...extra })
    res.end()
    return
  }
  send(res, 200, body, { etag, 'cache-control': 'private, max-age=60, s-maxage=60', vary: 'Accept, Authorization, Cookie, X-GitHub-OTP', ...common, ...limits(), ...extra })
}

function paginate<T>(req: IncomingMessage, res: ServerResponse, u: URL, items: T[], shape: (x: T) => unknown, common: Record<string, string>, limits: () => Record<string, string>, onNotModified: () => void): void {
  const perPage = Math.min(100, Math.max(1, Number(u.searchParams.get('per_page') ?? 30) || 30))
  const page = Math.max(1, Number(u.searchParams.get('page') ?? 1) || 1)
  const last = Math.max(1, Math.ceil(items.length / perPage))
  conditional(req, res, items.slice((page - 1) * perPage, page * perPage).map(shape), common, limits, pageLinks(u, page, last), onNotModified)
}

/** GitHub's `Link` header for page `page` of `last` (none when there is one page). */
function pageLinks(u: URL, page: number, last: number): Record<string, string> {
  const link = (p: number, rel: string) => {
    const next = new URL(u)
    next.searchParams.set('page', String(p))
    return `<${next.toString()}>; rel="${rel}"`
  }
  const links = [page > 1 && link(page - 1, 'prev'), page < last && link(page + 1, 'next'), page < last && link(last, 'last'), page > 1 && link(1, 'first')].filter(Boolean)
  return links.length ? { link: links.join(', ') } : {}
}
