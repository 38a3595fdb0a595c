import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { resolve } from 'node:path'
import { eventually } from './payloads.ts'

export const BIN = resolve(import.meta.dirname, '../../bin/doraflow.js')

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const a = s.address()
      s.close(() => (typeof a === 'object' && a ? ok(a.port) : fail(new Error('no port'))))
    })
  })
}

export interface Child {
  proc: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

/** Runs `doraflow ARGS` as a real child process in `cwd`. */
export function doraflow(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Child {
  let out = ''
  const proc = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<number | null>((ok) => proc.on('exit', (code) => ok(code)))
  return { proc, output: () => out, exited }
}

/** Runs a short command to completion; resolves with its exit code and output. */
export async function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const proc = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const code = await new Promise<number | null>((ok) => proc.on('exit', ok))
  return { code, stdout, stderr }
}

export async function waitHealthy(url: string, child?: Child): Promise<void> {
  await eventually(
    async () => {
      const r = await fetch(`${url}/healthz`).catch(() => null)
      return r?.ok ? true : undefined
    },
    60_000,
    `doraflow at ${url} to answer /healthz${child ? `; output so far:\n${child.output()}` : ''}`,
  )
}
