import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { doraflow, freePort, waitHealthy, type Child } from '../helpers/child.ts'
import { eventually, processedAll } from '../helpers/payloads.ts'

/**
 * kill -9 of `doraflow serve` in the middle of a load: every delivery that was
 * answered 2xx is, after a restart, in the tables exactly once.
 */
describe('crash safety of serve (kill -9 under load)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'doraflow-crash-'))
  let serve: Child | null = null
  afterAll(() => {
    serve?.proc.kill('SIGKILL')
  })

  it('loses no acknowledged delivery and counts none twice', async () => {
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    writeFileSync(join(dir, 'doraflow.yaml'), `server: {port: ${port}}\nprocessor: {pollIntervalMs: 50}\n`)
    serve = doraflow(['serve'], dir)
    await waitHealthy(url, serve)

    const acked = new Set<string>()
    const total = 400
    const killAfter = 120 + Math.floor(Math.random() * 120)
    let sent = 0
    const deploy = (i: number) =>
      JSON.stringify({ kind: 'deployment', id: `dep-${i}`, service: 'crashy', environment: 'production', sha: i.toString(16).padStart(40, 'a'), deployedAt: new Date(Date.UTC(2026, 6, 1) + i * 60_000).toISOString() })
    // Eight concurrent senders; the process is killed once `killAfter` deliveries were acknowledged.
    const worker = async () => {
      while (sent < total) {
        const i = sent++
        try {
          const res = await fetch(`${url}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deploy(i) })
          if (res.status === 202) acked.add(`generic:dep-${i}`)
          if (acked.size >= killAfter && serve && serve.proc.exitCode === null) serve.proc.kill('SIGKILL')
        } catch {
          // connection refused/reset after the kill: not acknowledged, so not promised
        }
      }
    }
    await Promise.all(Array.from({ length: 8 }, worker))
    await serve.exited
    console.log(`crash test: ${acked.size} deliveries acknowledged before kill -9 (threshold ${killAfter})`)
    expect(acked.size).toBeGreaterThanOrEqual(killAfter)

    serve = doraflow(['serve'], dir)
    await waitHealthy(url, serve)
    const ids = await eventually(async () => {
      const body = (await (await fetch(`${url}/api/v1/deployments?service=crashy&limit=5000&from=2026-01-01`)).json()) as { deployments: { id: string }[] }
      const got = body.deployments.map((d) => d.id)
      return [...acked].every((id) => got.includes(id)) ? got : undefined
    }, 60_000, 'every acknowledged deployment after the restart')
    // Everything in the log processed, so no later batch could still add a duplicate.
    await processedAll(url)
    const after = (await (await fetch(`${url}/api/v1/deployments?service=crashy&limit=5000&from=2026-01-01`)).json()) as { deployments: { id: string }[] }
    expect(after.deployments.map((d) => d.id).sort()).toEqual([...ids].sort())
    expect(new Set(ids).size).toBe(ids.length)
    console.log(`crash test: ${ids.length} deployments in ClickHouse after restart, all ${acked.size} acknowledged present, no duplicates`)
  })
})
