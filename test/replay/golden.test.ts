import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { GOLDEN_DIR, replayGolden } from './golden.ts'

/**
 * The recorded log (test/replay/golden/log.jsonl, every source, see record-golden.ts)
 * replays into exactly the tables recorded in tables.json by the code before the
 * sources/ restructuring (issue 9): a refactoring that changes a figure, a row or
 * a dead-letter reason fails here. The steps 1–2 of issue 9 (sources/ and the
 * source-neutral events) passed it unchanged; the only re-recording since is the
 * intended §5.1 change (a root-cause sha inside a deployment's changes links it:
 * github:acme/api#515 now names 9016, which shipped the commit), made with
 * test/replay/diff-golden.ts --write. Issue 15 re-recorded it for its new columns only (changes.author_class
 * 'human', changes.in_lead_time 1, deployments/incidents.correction NULL: every other value unchanged).
 */
describe('golden replay', () => {
  it('replays the recorded log into byte-identical tables', async () => {
    const expected = JSON.parse(readFileSync(path.join(GOLDEN_DIR, 'tables.json'), 'utf8')) as Record<string, string[]>
    const actual = await replayGolden(mkdtempSync(path.join(tmpdir(), 'doraflow-golden-')))
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort())
    for (const table of Object.keys(expected)) expect(actual[table], table).toEqual(expected[table])
    // The fixture is not trivially small: every table has rows.
    for (const table of Object.keys(expected)) expect(expected[table]!.length, table).toBeGreaterThan(0)
  }, 120_000)
})
