#!/usr/bin/env node
// Lists the licence of every production dependency (the transitive closure of
// package.json "dependencies", as installed in node_modules) and flags
// copyleft or unknown licences. Exit 1 when a strong-copyleft or unknown
// licence appears that scripts/security/license-allow.json does not accept.
//
//   node scripts/security/licenses.mjs            # table
//   node scripts/security/licenses.mjs --json
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const asJson = process.argv.includes('--json')
const allowFile = join(root, 'scripts/security/license-allow.json')
const allow = existsSync(allowFile) ? JSON.parse(readFileSync(allowFile, 'utf8')) : {}

const STRONG_COPYLEFT = /\b(A?GPL|SSPL|OSL|EUPL|CC-BY-SA|RPL|Sleepycat)\b/i
const WEAK_COPYLEFT = /\b(LGPL|MPL|EPL|CDDL|CPL)\b/i

function licenseOf(pkg) {
  const l = pkg.license ?? pkg.licenses
  if (typeof l === 'string') return l
  if (l && typeof l === 'object' && !Array.isArray(l)) return l.type ?? 'UNKNOWN'
  if (Array.isArray(l)) return l.map((x) => (typeof x === 'string' ? x : x.type)).join(' OR ')
  return 'UNKNOWN'
}

/** Node's resolution: the nearest node_modules/<name> walking up from the requiring package. */
function locate(name, fromDir) {
  let dir = fromDir
  for (;;) {
    const candidate = join(dir, 'node_modules', name, 'package.json')
    if (existsSync(candidate)) return candidate
    const parent = dirname(dir)
    if (parent === dir) return null
    dir = parent
  }
}

const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const seen = new Map()
const missing = []
const queue = Object.keys(rootPkg.dependencies ?? {}).map((n) => [n, root, false])
while (queue.length) {
  const [name, from, optional] = queue.shift()
  const file = locate(name, from)
  if (!file) {
    if (!optional) missing.push(name)
    continue
  }
  if (seen.has(file)) continue
  const pkg = JSON.parse(readFileSync(file, 'utf8'))
  const license = licenseOf(pkg)
  const kind = /UNKNOWN|UNLICENSED|SEE LICENSE/i.test(license) ? 'unknown' : STRONG_COPYLEFT.test(license) && !/\bOR\b/.test(license) ? 'strong-copyleft' : WEAK_COPYLEFT.test(license) || STRONG_COPYLEFT.test(license) ? 'weak-copyleft/choice' : 'permissive'
  seen.set(file, { name: pkg.name, version: pkg.version, license, kind })
  const dir = dirname(file)
  for (const dep of Object.keys(pkg.dependencies ?? {})) queue.push([dep, dir, false])
  for (const dep of Object.keys(pkg.optionalDependencies ?? {})) queue.push([dep, dir, true])
  for (const dep of Object.keys(pkg.peerDependencies ?? {})) queue.push([dep, dir, true])
}

const rows = [...seen.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version))
const blocking = rows.filter((r) => (r.kind === 'strong-copyleft' || r.kind === 'unknown') && !allow[`${r.name}@${r.version}`] && !allow[r.name])
if (asJson) {
  console.log(JSON.stringify({ packages: rows, blocking, missing }, null, 2))
} else {
  const byLicense = new Map()
  for (const r of rows) byLicense.set(r.license, (byLicense.get(r.license) ?? 0) + 1)
  console.log(`${rows.length} production packages (transitive)`)
  for (const [l, n] of [...byLicense].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(4)}  ${l}`)
  const flagged = rows.filter((r) => r.kind !== 'permissive')
  if (flagged.length) {
    console.log('\nflagged (not plainly permissive):')
    for (const r of flagged) console.log(`  ${r.kind.padEnd(22)} ${r.name}@${r.version}  ${r.license}${allow[r.name] || allow[`${r.name}@${r.version}`] ? `  — accepted: ${allow[r.name] ?? allow[`${r.name}@${r.version}`]}` : ''}`)
  }
  if (process.argv.includes('--all')) for (const r of rows) console.log(`  ${r.name}@${r.version}  ${r.license}`)
  if (missing.length) console.log(`\nnot installed (run npm ci): ${missing.join(', ')}`)
}
if (blocking.length) {
  console.error(`\n${blocking.length} package(s) with a strong-copyleft or unknown licence not accepted in scripts/security/license-allow.json`)
  process.exit(1)
}
