// Writes queries/README.md from the headers of queries/reports/*.sql (`npm run docs:queries`).
// test/sql-reports/library.test.ts fails when the checked-in page differs from this output.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { listReports, renderReadme } from '../queries/library.ts'

const file = join(import.meta.dirname, '..', 'queries', 'README.md')
writeFileSync(file, renderReadme())
process.stdout.write(`wrote ${file} (${listReports().length} reports)\n`)
