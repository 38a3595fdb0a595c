// Summarises a V8 .cpuprofile by self time: node bench/lib/profile-summary.mjs FILE [TOP]
import { readFileSync } from 'node:fs'
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const self = new Map(); const byId = new Map(p.nodes.map(n => [n.id, n]))
const dt = p.timeDeltas; const counts = new Map()
p.samples.forEach((s, i) => counts.set(s, (counts.get(s) ?? 0) + (dt[i] ?? 0)))
let total = 0
for (const [id, t] of counts) { const n = byId.get(id); const cf = n.callFrame; const k = `${cf.functionName || '(anon)'} ${cf.url.replace(/.*\/(node_modules\/)?/, '')}:${cf.lineNumber}`; self.set(k, (self.get(k) ?? 0) + t); total += t }
console.log('total ms', (total / 1000).toFixed(0))
for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 25))) console.log((t / 1000).toFixed(0).padStart(7), (100 * t / total).toFixed(1).padStart(5) + '%', k)
