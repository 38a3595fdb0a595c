/**
 * Prints what a replay of the golden log gives differently from tables.json;
 * with --write, records the new tables (only for an intended change of the
 * figures: say which and why in the commit). The log itself is never re-recorded.
 *   npx tsx test/replay/diff-golden.ts [--write]
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { GOLDEN_DIR, replayGolden } from './golden.ts'

const expected = JSON.parse(readFileSync(path.join(GOLDEN_DIR, 'tables.json'), 'utf8')) as Record<string, string[]>
const actual = await replayGolden(mkdtempSync(path.join(tmpdir(), 'doraflow-golden-')))
for (const t of Object.keys(expected)) {
  const a = new Set(actual[t]), e = new Set(expected[t])
  for (const r of expected[t]!) if (!a.has(r)) console.log(`${t} - ${r}`)
  for (const r of actual[t]!) if (!e.has(r)) console.log(`${t} + ${r}`)
}
if (process.argv.includes('--write')) writeFileSync(path.join(GOLDEN_DIR, 'tables.json'), JSON.stringify(actual, null, 1) + '\n')
