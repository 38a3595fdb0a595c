/**
 * TEST-ONLY ClickHouse HTTP endpoint hosting the current ClickHouse engine
 * (chdb, in this process) — NOT a ClickHouse server.
 *
 * Why it exists: the fault tests need ONE database shared by several
 * processor processes, with the schema doraflow really uses (DateTime64,
 * query parameters, lightweight DELETE). The embedded chdb engine allows one
 * process per data directory, and Debian's clickhouse-server 18.16 cannot
 * run that schema. So this small process owns the chdb data directory and
 * speaks enough of the ClickHouse HTTP interface for @clickhouse/client:
 *
 *   GET  /ping                         → "Ok.\n"
 *   POST /?query_id&database&param_*   body = SQL (query/command)
 *   POST /?query=INSERT…FORMAT X&…     body = rows (insert)
 *   errors → HTTP 500, body "Code: N. DB::Exception: …", X-ClickHouse-Exception-Code: N
 *   Basic auth or X-ClickHouse-User/Key checked against --user/--password.
 *
 * `param_*` values are handed to chdb's own parameter binder as the text the
 * HTTP interface would receive, so the engine parses them exactly as a
 * server does. Other settings in the URL are ignored. Requests are executed
 * one at a time (one engine session). Stopping or killing this process is
 * "the ClickHouse server is down" for the processors; its data directory
 * survives restarts like a server's.
 *
 *   node bin/run-ts.js test/chdb-http/server.ts --port 0 --path DIR [--user u --password p]
 *   prints "chdb-http listening on PORT" when ready.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { parseArgs } from 'node:util'

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    path: { type: 'string' },
    user: { type: 'string', default: 'default' },
    password: { type: 'string', default: '' },
  },
})
if (!args.path) {
  process.stderr.write('usage: server.ts --path DIR [--port N] [--user U --password P]\n')
  process.exit(2)
}
mkdirSync(args.path, { recursive: true })

interface ChdbResult {
  bytes(): Buffer
}
interface ChdbSession {
  queryAsync(sql: string, opts?: { format?: string }): Promise<ChdbResult>
  queryBindAsync(sql: string, params: Record<string, string>, opts?: { format?: string }): Promise<ChdbResult>
  close(): void
}
const require = createRequire(import.meta.url)
const { Session } = require('chdb') as { Session: new (path: string) => ChdbSession }
const session = new Session(args.path)

let current = 'default'
let chain: Promise<unknown> = Promise.resolve()
/** One statement at a time on the single session (USE is session state). */
function serial<T>(f: () => Promise<T>): Promise<T> {
  const next = chain.then(f, f)
  chain = next.catch(() => {})
  return next
}

const quote = (name: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw Object.assign(new Error(`Code: 36. DB::Exception: bad database name ${JSON.stringify(name)}. (BAD_ARGUMENTS)`), {})
  return `\`${name}\``
}

function authorized(req: IncomingMessage): boolean {
  let user = req.headers['x-clickhouse-user'] as string | undefined
  let password = req.headers['x-clickhouse-key'] as string | undefined
  const auth = req.headers.authorization
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8')
    const i = decoded.indexOf(':')
    user = decoded.slice(0, i)
    password = decoded.slice(i + 1)
  }
  return (user ?? 'default') === args.user && (password ?? '') === args.password
}

const UNESCAPE: Record<string, string> = { '\\': '\\', '0': '\0', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', "'": "'" }
/**
 * A `param_*` value arrives TSV-escaped (what the server parses); chdb's
 * binder TSV-escapes the string it is given, so hand it the unescaped text.
 */
function tsvUnescape(v: string): string {
  // chdb's Array/Tuple text parser rejects a backslash-escaped quote inside an element: use the doubled form.
  const quoted = /^[[(]/.test(v) ? v.replace(/\\+'/g, "''") : v
  return quoted.replace(/\\(.)/gs, (m, c: string) => UNESCAPE[c] ?? m)
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function fail(res: ServerResponse, status: number, message: string): void {
  const code = /Code: (\d+)/.exec(message)?.[1] ?? '1002'
  const text = message.startsWith('Code:') ? message : `Code: ${code}. DB::Exception: ${message}`
  res.writeHead(status, { 'content-type': 'text/plain; charset=UTF-8', 'x-clickhouse-exception-code': code })
  res.end(`${text}\n`)
}

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname === '/ping') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('Ok.\n')
      return
    }
    if (!authorized(req)) {
      fail(res, 403, `Code: 516. DB::Exception: ${args.user}: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)`)
      return
    }
    const text = await body(req)
    const inUrl = url.searchParams.get('query')
    // Insert: statement in the URL, rows in the body. Query/command: statement in the body.
    const sql = inUrl ? (text.length ? `${inUrl}\n${text}` : inUrl) : text
    const params: Record<string, string> = {}
    for (const [k, v] of url.searchParams) if (k.startsWith('param_')) params[k.slice(6)] = tsvUnescape(v)
    const database = url.searchParams.get('database') ?? 'default'
    const format = url.searchParams.get('default_format') ?? undefined
    if (inUrl && !text.trim() && /^\s*INSERT\b/i.test(inUrl)) {
      res.writeHead(200, { 'x-clickhouse-summary': '{}' }).end()
      return
    }
    const out = await serial(async () => {
      if (database !== current) {
        await session.queryAsync(`USE ${quote(database)}`)
        current = database
      }
      return Object.keys(params).length ? session.queryBindAsync(sql, params, { format }) : session.queryAsync(sql, { format })
    })
    res.writeHead(200, { 'content-type': 'text/plain; charset=UTF-8', 'x-clickhouse-summary': '{}', 'x-clickhouse-format': format ?? '' })
    res.end(out.bytes())
  } catch (e) {
    fail(res, 500, (e as Error).message)
  }
})

server.keepAliveTimeout = 10_000
server.listen(Number(args.port), args.host, () => {
  const a = server.address()
  process.stdout.write(`chdb-http listening on ${typeof a === 'object' && a ? a.port : args.port}\n`)
})
const shutdown = () => {
  server.close()
  server.closeAllConnections()
  session.close()
  process.exit(0)
}
process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)
