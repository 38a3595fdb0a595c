import type { Commit } from '../../contracts/events.ts'
import { commitDetails } from '../commit-details.ts'
import { arr, optNonEmpty, optStr, str, time } from '../fields.ts'

/**
 * `commits[]` of a push as GitHub and GitLab both send it (`id`, `timestamp`, `message`,
 * `url`, `author.name`, and §16's author account and files), in payload order (oldest first); paths name the bad commit.
 */
export function pushCommits(p: unknown): Commit[] {
  return arr(p, 'commits').map((_, i) => ({
    id: str(p, `commits.${i}.id`),
    timestamp: time(p, `commits.${i}.timestamp`),
    message: optStr(p, `commits.${i}.message`) ?? '',
    url: optNonEmpty(p, `commits.${i}.url`),
    author: optStr(p, `commits.${i}.author.name`),
    ...commitDetails(p, `commits.${i}`),
  }))
}
