// `npm run dashboards`: writes dashboards/*.json from dashboards/src/*.ts.
// test/dashboards checks that the checked-in files are this output.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { allDashboards, renderDashboard } from './index.ts'

const dir = join(import.meta.dirname, '..')
for (const { file, dashboard } of allDashboards()) {
  writeFileSync(join(dir, file), renderDashboard(dashboard))
  process.stdout.write(`wrote dashboards/${file} (${dashboard.panels.filter((p) => p.type !== 'row').length} panels)\n`)
}
