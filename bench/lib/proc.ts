import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '../..')
export const RUN_TS = resolve(ROOT, 'bin/run-ts.js')
export const DORAFLOW = resolve(ROOT, 'bin/doraflow.js')

export interface Child {
  proc: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

export function start(args: string[], opts: { env?: NodeJS.ProcessEnv; nodeArgs?: string[]; cwd?: string } = {}): Child {
  let out = ''
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] })
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<number | null>((ok) => proc.on('exit', (code) => ok(code)))
  return { proc, output: () => out, exited }
}

/** Runs a bench TS script in its own process; resolves with the last JSON line it printed. */
export async function runJson<T>(script: string, arg: unknown, opts: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<T> {
  const c = start([RUN_TS, script, JSON.stringify(arg)], opts)
  const code = await c.exited
  const lines = c.output().trim().split('\n')
  const last = [...lines].reverse().find((l) => l.startsWith('{'))
  if (code !== 0 || !last) throw new Error(`${script} exited ${code}:\n${c.output().slice(-4000)}`)
  return JSON.parse(last) as T
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const a = s.address()
      s.close(() => (typeof a === 'object' && a ? ok(a.port) : fail(new Error('no port'))))
    })
  })
}

export async function waitFor(url: string, child: Child, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const r = await fetch(url).catch(() => null)
    if (r?.ok) return
    if (child.proc.exitCode !== null) throw new Error(`process exited before ${url} answered:\n${child.output().slice(-4000)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out waiting for ${url}:\n${child.output().slice(-4000)}`)
}

/** Peak and current resident set of a live process, in MB (from /proc). */
export function rssOf(pid: number): { peakMB: number; currentMB: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0)
  return { peakMB: kb('VmHWM') / 1024, currentMB: kb('VmRSS') / 1024 }
}

/** A process and all its descendants (a split serve is a front and its back). */
export function treeOf(pid: number): number[] {
  const out = [pid]
  for (let i = 0; i < out.length; i++) {
    for (const tid of safeList(`/proc/${out[i]}/task`)) {
      const kids = safeRead(`/proc/${out[i]}/task/${tid}/children`).trim()
      if (kids) out.push(...kids.split(/\s+/).map(Number))
    }
  }
  return out
}

const safeList = (dir: string) => {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}
const safeRead = (file: string) => {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

/** A live process's command line, arguments joined by spaces ('' when it ended). */
export const cmdlineOf = (pid: number): string => safeRead(`/proc/${pid}/cmdline`).split('\0').join(' ')

/** rssOf summed over a process tree (peaks summed: an upper bound of the tree's peak). */
export function treeRssOf(pid: number): { peakMB: number; currentMB: number } {
  let peakMB = 0
  let currentMB = 0
  for (const p of treeOf(pid)) {
    try {
      const r = rssOf(p)
      peakMB += r.peakMB
      currentMB += r.currentMB
    } catch {
      // ended meanwhile
    }
  }
  return { peakMB, currentMB }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo)
}

/** CPU seconds (user + system) of a live process: its main thread and all its other threads (chdb, libuv, V8 helpers). */
export function threadCpuOf(pid: number): { mainS: number; otherS: number } {
  const hz = 100 // USER_HZ on Linux
  const ticks = (stat: string) => {
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(f[11]) + Number(f[12]) // utime, stime (fields 14 and 15)
  }
  let main = 0
  let other = 0
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const t = ticks(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'))
      if (Number(tid) === pid) main += t
      else other += t
    } catch {
      // a thread that ended meanwhile
    }
  }
  return { mainS: main / hz, otherS: other / hz }
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  const idle = f[3]! + (f[4] ?? 0)
  const total = f.reduce((a, b) => a + b, 0)
  return { busy: total - idle, total }
}
