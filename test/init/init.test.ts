import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseEnv } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfigText } from '../../config/load.ts'
import { TEMPLATES } from '../../generator/payloads.ts'
import { freePort, run } from '../helpers/child.ts'

const fresh = () => mkdtempSync(join(tmpdir(), 'doraflow-init-'))
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8')
const configOf = (dir: string) => parseConfigText(read(dir, 'doraflow.yaml'), parseEnv(read(dir, '.env')) as NodeJS.ProcessEnv)

/**
 * A stand-in for GitHub's REST API (the endpoints INTERFACE.md lists), real-shaped:
 * repositories are GitHub's repository object (from the recorded push payload),
 * paginated with per_page and the Link header as GitHub does.
 */
function githubStandIn(o: { teamsStatus?: number }) {
  const template = JSON.parse(readFileSync(join(TEMPLATES, 'github/push.json'), 'utf8')).repository
  const repo = (i: number, name: string, archived = false) => ({ ...template, id: 1000 + i, name, full_name: `acme/${name}`, owner: { ...template.owner, login: 'acme' }, archived, html_url: `https://github.com/acme/${name}` })
  // 101 live repositories and one archived: two pages of 100.
  const repos = [...Array.from({ length: 101 }, (_, i) => repo(i, `svc-${String(i).padStart(3, '0')}`)), repo(999, 'old-thing', true)]
  const team = (slug: string) => ({ id: slug.length, node_id: 'T', url: `x/teams/${slug}`, html_url: `https://github.com/orgs/acme/teams/${slug}`, name: slug, slug, description: null, privacy: 'closed', permission: 'pull', members_url: '', repositories_url: '', parent: null })
  const requests: { url: string; authorization: string | undefined }[] = []
  const page = (req: IncomingMessage, all: unknown[], path: string) => {
    const u = new URL(req.url!, 'http://x')
    const per = Number(u.searchParams.get('per_page') ?? 30)
    const p = Number(u.searchParams.get('page') ?? 1)
    const last = Math.max(1, Math.ceil(all.length / per))
    const link = p < last ? `<http://${req.headers.host}${path}?per_page=${per}&page=${p + 1}>; rel="next", <http://${req.headers.host}${path}?per_page=${per}&page=${last}>; rel="last"` : null
    return { body: all.slice((p - 1) * per, p * per), link }
  }
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url!, authorization: req.headers.authorization })
    const path = new URL(req.url!, 'http://x').pathname
    const send = (status: number, body: unknown, link: string | null = null) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-api-version-selected': '2022-11-28', ...(link ? { link } : {}) })
      res.end(JSON.stringify(body))
    }
    if (path === '/orgs/acme/repos') {
      const { body, link } = page(req, repos, path)
      return send(200, body, link)
    }
    if (path === '/orgs/acme/teams') return o.teamsStatus ? send(o.teamsStatus, { message: 'Must have admin rights to Repository.', documentation_url: 'https://docs.github.com/rest' }) : send(200, [team('payments'), team('platform')])
    if (path === '/orgs/acme/teams/payments/repos') return send(200, [repos[0], repos[1]])
    if (path === '/orgs/acme/teams/platform/repos') return send(200, [repos[1], repos[2]])
    return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' })
  })
  return { server, requests }
}

describe('doraflow init', () => {
  it('writes a commented doraflow.yaml whose secrets are ${VAR}s, their generated values in .env (private), names in .env.example', async () => {
    const dir = fresh()
    const r = await run(['init'], dir)
    expect(r.code, r.stderr).toBe(0)
    const yaml = read(dir, 'doraflow.yaml')
    expect(yaml).toMatch(/^# doraflow configuration/)
    expect(yaml).toContain('webhookSecrets: [${GITHUB_WEBHOOK_SECRET}]')
    expect(yaml).not.toMatch(/[A-Za-z0-9_-]{43}/) // no secret value in the file itself
    const env = parseEnv(read(dir, '.env'))
    expect(env.GITHUB_WEBHOOK_SECRET).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(env.PAGERDUTY_WEBHOOK_SECRET).toBe('') // PagerDuty makes its own
    expect(statSync(join(dir, '.env')).mode & 0o777).toBe(0o600)
    expect(Object.values(parseEnv(read(dir, '.env.example')))).toEqual(['', '', '', '', '', '', ''])
    expect(env.GITHUB_TOKEN).toBe('') // the user's own, for doraflow import
    const config = configOf(dir)
    expect(config.github.webhookSecrets).toEqual([env.GITHUB_WEBHOOK_SECRET])
    expect(config.events.tokens).toEqual([env.DORAFLOW_EVENTS_TOKEN])
    expect(config.api.adminTokens).toEqual([env.DORAFLOW_ADMIN_TOKEN])
    expect(new Set(Object.values(env).filter(Boolean)).size).toBe(4) // every generated secret its own
    expect(config.github).toMatchObject({ token: null, apiUrl: 'https://api.github.com' })
    const again = fresh()
    await run(['init'], again)
    expect(parseEnv(read(again, '.env')).GITHUB_WEBHOOK_SECRET).not.toBe(env.GITHUB_WEBHOOK_SECRET)
  })

  it('never overwrites without --force', async () => {
    const dir = fresh()
    writeFileSync(join(dir, 'doraflow.yaml'), 'mine: true\n')
    const r = await run(['init'], dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('doraflow.yaml already exists: nothing written (--force overwrites)')
    expect(read(dir, 'doraflow.yaml')).toBe('mine: true\n')
    const forced = await run(['init', '--force'], dir)
    expect(forced.code, forced.stderr).toBe(0)
    expect(read(dir, 'doraflow.yaml')).toMatch(/^# doraflow configuration/)
  })

  describe('--from-github against a stand-in GitHub API', () => {
    let gh: ReturnType<typeof githubStandIn>
    let url: string
    beforeAll(async () => {
      gh = githubStandIn({})
      const port = await freePort()
      await new Promise<void>((ok) => gh.server.listen(port, '127.0.0.1', ok))
      url = `http://127.0.0.1:${port}`
    })
    afterAll(() => gh?.server.close())

    it('one service per live repository (every page), teams from GitHub teams, the token sent', async () => {
      const dir = fresh()
      const r = await run(['init', '--from-github', 'acme', '--api-url', url], dir, { GITHUB_TOKEN: 'ghp_standin' })
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toContain('(101 services from acme)')
      const config = configOf(dir)
      expect(config.github.apiUrl).toBe(url) // doraflow import github then reads the same API
      expect(config.services).toHaveLength(101)
      expect(config.services.slice(0, 4).map((s) => [s.name, s.team, s.repositories])).toEqual([
        ['svc-000', 'payments', ['acme/svc-000']],
        ['svc-001', 'payments', ['acme/svc-001']], // in two teams: the first listed
        ['svc-002', 'platform', ['acme/svc-002']],
        ['svc-003', 'unassigned', ['acme/svc-003']],
      ])
      expect(config.services.map((s) => s.name)).not.toContain('old-thing')
      expect(read(dir, 'doraflow.yaml')).toContain('(1 archived left out)')
      const repoPages = gh.requests.filter((q) => q.url.startsWith('/orgs/acme/repos'))
      // The first page, then the one its Link header names (per_page 100, as INTERFACE.md says).
      expect(repoPages.map((q) => [new URL(q.url, 'http://x').searchParams.get('per_page'), new URL(q.url, 'http://x').searchParams.get('page')])).toEqual([['100', null], ['100', '2']])
      expect(gh.requests.every((q) => q.authorization === 'token ghp_standin')).toBe(true)
    })

    it('an unknown organisation is an error naming it; nothing is written', async () => {
      const dir = fresh()
      const r = await run(['init', '--from-github', 'nobody', '--api-url', url], dir)
      expect(r.code).toBe(1)
      expect(r.stderr).toContain('has no organisation "nobody"')
      expect(() => read(dir, 'doraflow.yaml')).toThrow()
    })
  })

  it('--from-github with teams not readable: services in team unassigned, and it says why', async () => {
    const gh = githubStandIn({ teamsStatus: 403 })
    const port = await freePort()
    await new Promise<void>((ok) => gh.server.listen(port, '127.0.0.1', ok))
    try {
      const dir = fresh()
      const r = await run(['init', '--from-github', 'acme', '--api-url', `http://127.0.0.1:${port}`], dir)
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toContain('GitHub answered 403 for the teams of acme')
      expect(new Set(configOf(dir).services.map((s) => s.team))).toEqual(new Set(['unassigned']))
    } finally {
      gh.server.close()
    }
  })
})
