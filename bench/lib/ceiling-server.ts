/**
 * The ingest ceiling: a bare node:http server that does what ingest must do
 * before it may answer (read the body, verify the HMAC, parse the JSON) and
 * answers 202 without storing anything. Run as its own process:
 *   node bin/run-ts.js bench/lib/ceiling-server.ts PORT
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import { GITHUB_SECRET, PAGERDUTY_SECRET } from './workload.ts'

const port = Number(process.argv[2] ?? 0)

function verify(secret: string, body: Buffer, given: string | undefined, prefix: string): boolean {
  if (!given || !given.startsWith(prefix)) return false
  const expected = createHmac('sha256', secret).update(body).digest()
  const g = Buffer.from(given.slice(prefix.length), 'hex')
  return g.length === expected.length && timingSafeEqual(g, expected)
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const body = Buffer.concat(chunks)
    const github = req.url === '/webhooks/github'
    const ok = github ? verify(GITHUB_SECRET, body, req.headers['x-hub-signature-256'] as string, 'sha256=') : verify(PAGERDUTY_SECRET, body, req.headers['x-pagerduty-signature'] as string, 'v1=')
    if (!ok) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}')
      return
    }
    let payload: any
    try {
      payload = JSON.parse(body.toString('utf8'))
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad_request"}')
      return
    }
    const id = github ? `github:${req.headers['x-github-delivery']}` : `pagerduty:${payload?.event?.id}`
    res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: true, id, duplicate: false }))
  })
})
server.listen(port, '127.0.0.1', () => {
  const a = server.address()
  process.stdout.write(`${JSON.stringify({ port: typeof a === 'object' && a ? a.port : port })}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
