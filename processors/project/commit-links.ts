/**
 * Imported history as push links (METRICS.md §10): a commit C on the
 * first-parent chain of the default branch, with first parent P, acts as a
 * push `before = P, after = C` whose commits are those reachable from C and not
 * from P — for a merge commit, the merged branch's commits and C. §3's walk
 * then runs unchanged (changes.ts asks here when no push webhook leads to a sha).
 */
import type { Commit, CommitListed, CommitsPushed } from '../../contracts/events.ts'

const ZERO_SHA = '0'.repeat(40)

export class CommitLinks {
  private readonly commits = new Map<string, CommitListed>()
  /** §10: a commit's time is the `timestamp` a push webhook gave it, when one did. */
  private readonly pushedTimes = new Map<string, string>()
  /** Commits on some deployed sha's first-parent chain: where a merged branch's walk stops. */
  private readonly mainline = new Set<string>()
  /** §16 paths: the link as the walking service sees it (its own commits only); the identity where paths do not split. */
  own: (p: CommitsPushed) => CommitsPushed = (p) => p

  add(c: CommitListed): void {
    const prev = this.commits.get(c.sha)
    // The same commit read twice (two repos' listings of a fork, or once more with its files after
    // `paths` were added): the one with files, then the smaller key, whatever the order.
    const better = !prev || (c.files !== undefined && prev.files === undefined) || ((c.files === undefined) === (prev.files === undefined) && c.key < prev.key)
    if (better) this.commits.set(c.sha, c)
  }

  notePush(p: CommitsPushed): void {
    for (const c of p.commits) {
      const sha = c.id.toLowerCase()
      const cur = this.pushedTimes.get(sha)
      if (cur === undefined || c.timestamp < cur) this.pushedTimes.set(sha, c.timestamp)
    }
  }

  get size(): number {
    return this.commits.size
  }

  /** Marks the first-parent chains of the deployed shas (call once, before walking). */
  markMainline(heads: Iterable<string>): void {
    for (const head of heads) {
      let sha: string | undefined = head.toLowerCase()
      while (sha && !this.mainline.has(sha)) {
        const c = this.commits.get(sha)
        if (!c) break
        this.mainline.add(sha)
        sha = c.parents[0]
      }
    }
  }

  private asCommit(c: CommitListed): Commit {
    return { id: c.sha, timestamp: this.pushedTimes.get(c.sha) ?? c.committedAt, message: c.message, url: c.url, author: c.author, authorLogin: c.authorLogin ?? null, authorEmail: c.authorEmail ?? null, ...(c.files ? { files: c.files } : {}) }
  }

  /** The link leading to `sha`, as the push a webhook would have reported; undefined when the commit is not listed. */
  linkTo(sha: string): CommitsPushed | undefined {
    const c = this.commits.get(sha)
    if (!c) return undefined
    const merged: Commit[] = []
    // The merged branches: back from the other parents until the mainline (or the imported range's start).
    const seen = new Set<string>()
    const stack = c.parents.slice(1).reverse()
    while (stack.length) {
      const s = stack.pop()!
      if (seen.has(s) || this.mainline.has(s)) continue
      seen.add(s)
      const b = this.commits.get(s)
      if (!b) continue
      merged.push(this.asCommit(b))
      stack.push(...b.parents.slice().reverse())
    }
    // Oldest first, as a push lists them; ties by sha so the order is a function of the set.
    merged.sort((x, y) => Date.parse(x.timestamp) - Date.parse(y.timestamp) || (x.id < y.id ? -1 : 1))
    return this.own({
      type: 'CommitsPushed',
      key: `link:${c.key}`,
      routing: c.routing,
      origin: c.origin,
      repo: c.repo,
      ref: 'refs/heads/(imported)',
      defaultBranch: '(imported)',
      before: c.parents[0] ?? ZERO_SHA,
      after: c.sha,
      deleted: false,
      forced: false,
      pushedAt: c.committedAt,
      commits: [...merged, this.asCommit(c)],
    })
  }
}
