import { deploymentsDashboard } from './deployments.ts'
import { incidentsDashboard } from './incidents.ts'
import { leadTimeDashboard } from './lead-time.ts'
import type { Dashboard } from './lib.ts'
import { overviewDashboard } from './overview.ts'
import { releasesDashboard } from './releases.ts'

/** Every generated dashboard and the file it is written to (dashboards/<file>). */
export function allDashboards(): { file: string; dashboard: Dashboard }[] {
  return [
    { file: 'dora-overview.json', dashboard: overviewDashboard() },
    { file: 'lead-time.json', dashboard: leadTimeDashboard() },
    { file: 'deployments.json', dashboard: deploymentsDashboard() },
    { file: 'incidents.json', dashboard: incidentsDashboard() },
    { file: 'releases.json', dashboard: releasesDashboard() },
  ]
}

/** The exact text of a dashboard file. */
export function renderDashboard(d: Dashboard): string {
  return `${JSON.stringify(d, null, 2)}\n`
}
