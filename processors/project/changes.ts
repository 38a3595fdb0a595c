import type { ChangeMerged, Commit, CommitsPushed } from '../../contracts/events.ts'
import { CommitLinks } from './commit-links.ts'
import type { ChangeRecord, PullRequestRecord } from '../../contracts/records.ts'
import type { DeploymentDraft } from './deployments.ts'
import { byTimeThenKey, ms, seconds } from './time.ts'

const ZERO_SHA = /^0+$/

/** Links of a repository's default-branch commit chain, indexed by the sha they lead to. */
export class CommitGraph {
  private readonly byAfter = new Map<string, CommitsPushed[]>()
  /** Imported history (§10): consulted where no push leads to a sha. */
  readonly links = new CommitLinks()

  add(p: CommitsPushed): void {
    this.links.notePush(p)
    if (p.deleted || !p.defaultBranch || p.ref !== `refs/heads/${p.defaultBranch}`) return
    const after = p.after.toLowerCase()
    const list = this.byAfter.get(after) ?? []
    list.push(p)
    this.byAfter.set(after, list)
  }

  /**
   * The push leading to `sha`. Several can (a force-push back to an earlier
   * head): the earliest by push time, then by key, so the walk is a function
   * of the event set alone.
   */
  pushTo(sha: string): CommitsPushed | undefined {
    const list = this.byAfter.get(sha)
    if (!list) return this.links.linkTo(sha)
    if (list.length > 1) list.sort(byTimeThenKey<CommitsPushed>((p) => (p.pushedAt ? ms(p.pushedAt) : 0)))
    // A push whose sender cut its commit list (GitLab's 20): the imported graph, where there is one,
    // walks the whole of it commit by commit, with the times the push gave (METRICS.md §11).
    if (list[0]!.truncated) return this.links.linkTo(sha) ?? list[0]
    return list[0]
  }

  /**
   * §3 step 1: from X back towards Y, collecting each push's commits; stops at
   * Y, at a sha no push leads to, or at the all-zero sha.
   */
  walk(from: string, stopAt: string | null): Commit[] {
    const collected: Commit[] = []
    const visited = new Set<string>()
    let current = from
    while (current !== stopAt && !ZERO_SHA.test(current) && !visited.has(current)) {
      visited.add(current) // a cycle of pushes can only come from bad data; never loop on it
      const push = this.pushTo(current)
      if (!push) break
      collected.push(...push.commits)
      current = push.before.toLowerCase()
    }
    return collected
  }
}

export interface AttributedChanges {
  changes: ChangeRecord[]
  /** deployment id → number of changes */
  counts: Map<string, number>
  /** commit sha → the deployment it is attributed to */
  deploymentOf: Map<string, DeploymentDraft>
}

/**
 * §3 steps 2–3 for one service: deployments in order; each commit belongs to
 * the earliest deployment whose walk reaches it; redeploys and rollbacks carry
 * no changes.
 */
export function attributeChanges(ordered: DeploymentDraft[], isRollback: (d: DeploymentDraft) => boolean, graph: CommitGraph, team: string, who: (c: Commit) => Pick<ChangeRecord, 'authorClass' | 'inLeadTime'>): AttributedChanges {
  const deploymentOf = new Map<string, DeploymentDraft>()
  const counts = new Map<string, number>()
  const changes: ChangeRecord[] = []
  ordered.forEach((d, i) => {
    counts.set(d.id, 0)
    const prev = i > 0 ? ordered[i - 1]! : null
    if (!d.sha || isRollback(d)) return
    const stopAt = prev ? prev.sha : null
    if (stopAt === d.sha) return
    for (const c of graph.walk(d.sha, stopAt)) {
      const sha = c.id.toLowerCase()
      if (deploymentOf.has(sha)) continue
      deploymentOf.set(sha, d)
      counts.set(d.id, counts.get(d.id)! + 1)
      const committedAt = ms(c.timestamp)
      changes.push({
        service: d.service.name,
        team,
        deploymentId: d.id,
        deployedAt: d.deployedAt,
        repo: d.repo ?? '',
        sha,
        committedAt,
        // §3: clock skew can make a commit look younger than its deploy; it counts as 0.
        leadTimeSeconds: Math.max(0, seconds(committedAt, d.deployedAt)),
        message: c.message,
        url: c.url,
        author: c.author,
        ...who(c),
      })
    }
  })
  return { changes, counts, deploymentOf }
}

/** §3 pull-request view: deployed by the deployment its merge commit is attributed to. */
export function pullRequestView(prs: ChangeMerged[], deploymentOf: Map<string, DeploymentDraft>, service: string, team: string): PullRequestRecord[] {
  const byNumber = new Map<string, ChangeMerged>()
  for (const p of [...prs].sort(byTimeThenKey<ChangeMerged>((x) => ms(x.mergedAt)))) {
    const k = `${p.routing}#${p.number}`
    if (!byNumber.has(k)) byNumber.set(k, p)
  }
  return [...byNumber.values()].map((p) => {
    const createdAt = ms(p.createdAt)
    const mergedAt = ms(p.mergedAt)
    const d = p.mergeCommitSha ? deploymentOf.get(p.mergeCommitSha.toLowerCase()) ?? null : null
    return {
      service,
      team,
      repo: p.repo,
      number: p.number,
      title: p.title,
      url: p.url,
      createdAt,
      mergedAt,
      mergeCommitSha: p.mergeCommitSha,
      deploymentId: d?.id ?? null,
      deployedAt: d?.deployedAt ?? null,
      openedToMergedSeconds: seconds(createdAt, mergedAt),
      mergedToDeployedSeconds: d ? seconds(mergedAt, d.deployedAt) : null,
      openedToDeployedSeconds: d ? seconds(createdAt, d.deployedAt) : null,
    }
  })
}
