/**
 * `github-api` envelopes (records `doraflow import github` read) → the same
 * domain events the webhooks give (sources/github/parse.ts), with origin
 * `github` and the same natural identities (METRICS.md §10): a deployment status
 * keyed like its `deployment_status` webhook, a pull request like its
 * `pull_request` webhook, with the same bodies. Commits become CommitListed
 * (the projection turns first-parent steps into push links); issue events
 * become IssueChanged marked `imported`, which a webhook about the same change
 * outranks (processors/project/natural.ts).
 */
import { drop, ok, type IssueChanged, type ParseOutcome } from '../../../contracts/events.ts'
import { arr, at, idStr, optNonEmpty, optStr, posInt, str, time } from '../../fields.ts'
import { apiRecordParser } from '../../shared/api-record.ts'
import { deploymentReport, mergedChange, repoOf } from '../parse.ts'

export const parseGithubApi = apiRecordParser('github-api', { deployment, commit, pull, issue })

/** Each status as its `deployment_status` webhook gives it (one builder for both roads). */
function deployment(p: unknown): ParseOutcome {
  const repo = repoOf(p)
  const events = arr(p, 'statuses').map((_, i) => deploymentReport(p, `statuses.${i}`, repo))
  return events.length ? ok(events) : drop('github-api deployment without statuses: nothing happened yet', 'not_used_by_metrics')
}

/** §16: the "Get a commit" files the importer added where `paths` need them; a rename touches both names. */
function filesOf(p: unknown): { files?: string[] } {
  const files = (p as { files?: unknown }).files
  if (!Array.isArray(files)) return {}
  return {
    files: files.flatMap((_, i) => {
      const previous = optNonEmpty(p, `files.${i}.previous_filename`)
      return previous ? [str(p, `files.${i}.filename`), previous] : [str(p, `files.${i}.filename`)]
    }),
  }
}

function commit(p: unknown): ParseOutcome {
  const repo = repoOf(p)
  const sha = str(p, 'commit.sha').toLowerCase()
  const files = filesOf(p)
  return ok([
    {
      type: 'CommitListed',
      // With files it is another event (the projection keeps one per sha, preferring files): the
      // projection's first-of-a-key would otherwise keep whichever record came first.
      key: `commit:github:${repo.lc}:${sha}${files.files ? ':files' : ''}`,
      routing: repo.routing,
      origin: 'github',
      repo: repo.name,
      sha,
      parents: arr(p, 'commit.parents').map((_, i) => str(p, `commit.parents.${i}.sha`).toLowerCase()),
      // §10: the committer date (when it reached a branch), unless a push webhook gave a timestamp.
      committedAt: time(p, 'commit.commit.committer.date'),
      message: optStr(p, 'commit.commit.message') ?? '',
      url: optNonEmpty(p, 'commit.html_url'),
      author: optStr(p, 'commit.commit.author.name'),
      // The account, for §16's bot and assistant rules (`renovate[bot]`); null when GitHub knows none.
      authorLogin: optStr(p, 'commit.author.login'),
      authorEmail: optStr(p, 'commit.commit.author.email'),
      ...files,
    },
  ])
}

function pull(p: unknown): ParseOutcome {
  if (at(p, 'pull.merged_at') == null) return drop('github-api pull request closed without merging', 'not_a_merge')
  return ok([mergedChange(p, 'pull', repoOf(p))])
}

/** The issue events that matter to §4 (the timeline shows the same ones). */
const ISSUE_ACTIONS = new Set(['labeled', 'unlabeled', 'closed', 'reopened', 'assigned'])

/**
 * The issue's opening and each of its events, as the `issues` webhooks would
 * have reported them: title and body are the snapshot's (the API keeps no
 * older ones), labels the current ones plus the one a `labeled` event added.
 */
function issue(p: unknown): ParseOutcome {
  const repo = repoOf(p)
  const number = posInt(p, 'issue.number')
  const current = arr(p, 'issue.labels').map((_, i) => (typeof at(p, `issue.labels.${i}`) === 'string' ? str(p, `issue.labels.${i}`) : str(p, `issue.labels.${i}.name`)))
  const base = {
    type: 'IssueChanged' as const,
    routing: repo.routing,
    origin: 'github' as const,
    issueId: `${repo.lc}#${number}`,
    repo: repo.name,
    number,
    title: str(p, 'issue.title'),
    body: optStr(p, 'issue.body') ?? '',
    createdAt: time(p, 'issue.created_at'),
    url: optNonEmpty(p, 'issue.html_url'),
    imported: true as const,
  }
  const events: IssueChanged[] = [
    { ...base, key: `issue:github:${repo.lc}#${number}:opened:api`, action: 'opened', labels: current, closedAt: null, updatedAt: base.createdAt },
  ]
  arr(p, 'events').forEach((_, i) => {
    const e = `events.${i}`
    const action = str(p, `${e}.event`)
    if (!ISSUE_ACTIONS.has(action)) return
    const when = time(p, `${e}.created_at`)
    const label = action === 'labeled' ? str(p, `${e}.label.name`) : null
    events.push({
      ...base,
      key: `issue:github:${repo.lc}#${number}:${action}:${when}:api/${idStr(p, `${e}.id`)}`,
      action,
      labels: label && !current.includes(label) ? [...current, label] : current,
      closedAt: action === 'closed' ? when : null,
      updatedAt: when,
    })
  })
  return ok(events)
}
