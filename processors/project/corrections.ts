/**
 * METRICS.md §18 corrections, applied at projection time. Pure: the correction events and the
 * `metrics.nonChangeIncidents` rules in, decisions out. The projection asks two questions:
 * how does this incident link (links()), and is this deployment failed (deploymentFailure()).
 *
 * Per target (an incident, or a deployment's failure) the correction with the latest
 * (at, id) wins. A correction on an incident outranks the rules (people overrule rules).
 */
import type { Config } from '../../config/schema.ts'
import type { CorrectionRecorded } from '../../contracts/events.ts'
import type { CorrectionNote } from '../../contracts/records.ts'
import type { DeploymentDraft } from './deployments.ts'
import { attributed, explicitLinks } from './failures.ts'
import type { IncidentDraft } from './incidents.ts'

type NonChangeRules = Config['metrics']['nonChangeIncidents']

const laterThan = (a: CorrectionRecorded, b: CorrectionRecorded) => {
  const ta = Date.parse(a.at)
  const tb = Date.parse(b.at)
  return ta !== tb ? ta > tb : a.id > b.id
}

const noteOf = (c: CorrectionRecorded, kind: CorrectionNote['kind']): CorrectionNote => ({ id: c.id, kind, by: c.by, reason: c.reason, at: c.at })

export class CorrectionBook {
  private readonly incidents = new Map<string, CorrectionRecorded>()
  private readonly deployments = new Map<string, CorrectionRecorded>()
  private readonly patterns: RegExp[]

  constructor(events: readonly CorrectionRecorded[], private readonly rules: NonChangeRules) {
    for (const c of events) {
      const [m, target] = c.incident !== null ? [this.incidents, c.incident] : c.deployment !== null && c.failed !== null ? [this.deployments, c.deployment] : [null, '']
      if (!m) continue
      const cur = m.get(target)
      if (!cur || laterThan(c, cur)) m.set(target, c)
    }
    this.patterns = rules.titlePatterns.map((p) => new RegExp(p, 'i'))
  }

  /** The metrics.nonChangeIncidents rule an incident matches, as the reason a record shows; null when none. */
  nonChangeRule(inc: Pick<IncidentDraft, 'title' | 'urgency' | 'priority' | 'labels'>): string | null {
    const lc = (xs: readonly string[]) => new Set(xs.map((x) => x.toLowerCase()))
    const labels = lc(this.rules.labels)
    const label = (inc.labels ?? []).find((l) => labels.has(l.toLowerCase()))
    if (label !== undefined) return `metrics.nonChangeIncidents.labels: "${label}"`
    if (inc.priority !== null && lc(this.rules.pagerdutyPriorities).has(inc.priority.toLowerCase())) return `metrics.nonChangeIncidents.pagerdutyPriorities: "${inc.priority}"`
    if (inc.urgency !== null && lc(this.rules.urgencies).has(inc.urgency.toLowerCase())) return `metrics.nonChangeIncidents.urgencies: "${inc.urgency}"`
    const i = this.patterns.findIndex((p) => p.test(inc.title))
    if (i >= 0) return `metrics.nonChangeIncidents.titlePatterns: /${this.rules.titlePatterns[i]}/i`
    return null
  }

  /**
   * §5 rules 1–2 for one incident, as corrected: a correction naming a deployment links it
   * there and nowhere else (when that deployment is one of the service's); a correction with
   * deployment null, or a nonChangeIncidents rule, takes it out of every link and window.
   */
  links(inc: IncidentDraft, ordered: DeploymentDraft[], windowMs: number, deploymentOf: ReadonlyMap<string, DeploymentDraft>): { explicit: DeploymentDraft[]; windowed: DeploymentDraft | null; correction: CorrectionNote | null } {
    const c = this.incidents.get(inc.id)
    if (c && c.deployment !== null) return { explicit: ordered.filter((d) => d.id === c.deployment), windowed: null, correction: noteOf(c, 'linked') }
    if (c) return { explicit: [], windowed: null, correction: noteOf(c, 'not_caused_by_change') }
    const rule = this.nonChangeRule(inc)
    if (rule !== null) return { explicit: [], windowed: null, correction: { id: null, kind: 'rule', by: null, reason: rule, at: null } }
    const explicit = explicitLinks(inc, ordered, deploymentOf)
    return { explicit, windowed: explicit.length ? null : attributed(inc, ordered, windowMs), correction: null }
  }

  /** Whether a deployment is failed once corrected; forcing it not failed clears its causes (the note keeps them). */
  deploymentFailure(id: string, derivedCauses: string[]): { failed: boolean; failureCauses: string[]; correction: CorrectionNote | null } {
    const c = this.deployments.get(id)
    if (!c) return { failed: derivedCauses.length > 0, failureCauses: derivedCauses, correction: null }
    if (c.failed) return { failed: true, failureCauses: [...derivedCauses, `correction:${c.id}`], correction: noteOf(c, 'failed') }
    return { failed: false, failureCauses: [], correction: { ...noteOf(c, 'not_failed'), overruled: derivedCauses } }
  }
}
