/**
 * METRICS.md §16 paths: in a repository several services list, a service with `paths` (globs)
 * owns only the changes touching one of them, and a change touching no listed path belongs to
 * the services without `paths`. Pure; the globs are configuration, applied at projection time.
 *
 * Where §16 is silent (docs/DECISIONS.md): paths split only repositories listed by more than
 * one service; a rename touches its old and its new path; a commit whose source lists no files
 * touches no listed path. Globs are picomatch's (`**`, `{a,b}`, dotfiles included).
 */
import picomatch from 'picomatch'
import type { Config } from '../../config/schema.ts'
import type { Commit, CommitsPushed } from '../../contracts/events.ts'

type Matcher = (path: string) => boolean

interface RepoSplit {
  /** Per service of the repository: its matcher, or null without paths. */
  services: Map<string, Matcher | null>
}

export class PathRules {
  private readonly repos = new Map<string, RepoSplit>()

  constructor(config: Pick<Config, 'services'>) {
    const byRepo = new Map<string, { name: string; paths?: string[] }[]>()
    for (const s of config.services) for (const r of s.repositories) byRepo.set(r.toLowerCase(), [...(byRepo.get(r.toLowerCase()) ?? []), s])
    for (const [repo, list] of byRepo) {
      if (list.length < 2 || !list.some((s) => s.paths)) continue
      this.repos.set(repo, { services: new Map(list.map((s) => [s.name, s.paths ? picomatch(s.paths, { dot: true }) : null])) })
    }
  }

  /** Whether `service` owns `commit` of `repoLc`. */
  owns(service: string, repoLc: string, commit: Pick<Commit, 'files'>): boolean {
    const split = this.repos.get(repoLc)
    if (!split) return true
    const files = commit.files ?? []
    const mine = split.services.get(service)
    if (mine === undefined) return true // not a service of this repository: not split for it
    if (mine !== null) return files.some(mine)
    return !files.some((f) => [...split.services.values()].some((m) => m !== null && m(f)))
  }

  /** The push as `service` sees it: the same links (before → after), only its own commits. */
  ownPush(service: string, p: CommitsPushed): CommitsPushed {
    const repoLc = p.repo.toLowerCase()
    if (!this.repos.has(repoLc)) return p
    return { ...p, commits: p.commits.filter((c) => this.owns(service, repoLc, c)) }
  }

  /** Whether the repository is split by paths (its pull requests then follow their merge commits). */
  splits(repoLc: string): boolean {
    return this.repos.has(repoLc)
  }
}

const built = new WeakMap<object, PathRules>()

/**
 * The rules of a configuration's services, built once per services list: project() runs once per
 * bin of components (dozens per replay chunk), and building walks every service and compiles
 * every glob. Keyed by the list itself, which a loaded configuration never changes in place
 * (a changed configuration is a new object, as sources/routing.ts's cache assumes too).
 */
export function pathRulesFor(config: Pick<Config, 'services'>): PathRules {
  let rules = built.get(config.services)
  if (!rules) built.set(config.services, (rules = new PathRules(config)))
  return rules
}
