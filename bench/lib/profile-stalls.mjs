// Long event-loop stretches in a V8 .cpuprofile: runs of samples with no (idle) sample in between.
//   node bench/lib/profile-stalls.mjs FILE [MIN_MS=20] [TOP=15]
// For each stretch: its length and the functions (self time, with the first app frame on the stack) that filled it.
import { readFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

// The repository root, as profile URLs spell it: our own frames are the ones under it.
const ROOT = pathToFileURL(fileURLToPath(new URL('../..', import.meta.url))).href
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const minMs = Number(process.argv[3] ?? 20)
const top = Number(process.argv[4] ?? 15)
const byId = new Map(p.nodes.map((n) => [n.id, n]))
const parent = new Map()
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
const name = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*\/(node_modules\/)?/, '')}:${n.callFrame.lineNumber}`
/** The deepest frame of our own code (not node_modules, not node:) on the stack: what the stretch was doing. */
function owner(id) {
  for (let x = id; x !== undefined; x = parent.get(x)) {
    const u = byId.get(x).callFrame.url
    if (u && !u.includes('node_modules') && !u.startsWith('node:') && (u.startsWith(ROOT) || u.startsWith(fileURLToPath(ROOT)))) return name(byId.get(x))
  }
  return name(byId.get(id))
}
const stretches = []
let cur = null
p.samples.forEach((s, i) => {
  const dt = (p.timeDeltas[i + 1] ?? 0) / 1000
  const n = byId.get(s)
  if (n.callFrame.functionName === '(idle)') {
    if (cur && cur.ms >= minMs) stretches.push(cur)
    cur = null
    return
  }
  cur ??= { ms: 0, by: new Map() }
  cur.ms += dt
  const k = owner(s)
  cur.by.set(k, (cur.by.get(k) ?? 0) + dt)
})
if (cur && cur.ms >= minMs) stretches.push(cur)
const all = stretches.reduce((a, s) => a + s.ms, 0)
console.log(`${stretches.length} stretches ≥ ${minMs} ms, ${all.toFixed(0)} ms in all`)
const agg = new Map()
for (const s of stretches) for (const [k, t] of s.by) agg.set(k, (agg.get(k) ?? 0) + t)
console.log('time inside long stretches, by owning app frame:')
for (const [k, t] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(t.toFixed(0).padStart(7), k)
console.log('longest:')
for (const s of [...stretches].sort((a, b) => b.ms - a.ms).slice(0, 8)) console.log(s.ms.toFixed(0).padStart(6), 'ms:', [...s.by].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, t]) => `${k} ${t.toFixed(0)}`).join(', '))
