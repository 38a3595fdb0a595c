/**
 * METRICS.md §16 authors: each change is `bot`, `ai_assisted` or `human`. Pure; the rules are
 * configuration (`metrics.botAuthors`, `metrics.aiAssistants`), applied at projection time.
 *
 * Precedence, where §16 leaves it open (docs/DECISIONS.md):
 *  1. a login listed in `botAuthors` is a bot (the operator said so);
 *  2. an agent account — a login (or, without one, a name) containing an assistant's name —
 *     is ai_assisted, even when it ends in `[bot]` (`devin-ai-integration[bot]` writes code,
 *     `dependabot[bot]` bumps versions; lumping them together would hide the AI share);
 *  3. any other login ending in `[bot]` is a bot;
 *  4. a `Co-authored-by:` trailer naming an assistant (substring of its name or e-mail) makes
 *     the change ai_assisted;
 *  5. everything else is human.
 * All comparisons ignore case.
 */
import type { Commit } from '../../contracts/events.ts'
import type { AuthorClass, ChangeRecord } from '../../contracts/records.ts'

export interface AuthorRules {
  botAuthors: readonly string[]
  aiAssistants: readonly string[]
}

export interface CoAuthor {
  name: string
  email: string | null
}

// A trailer line: "Co-authored-by: Name <email>" (the e-mail part is optional in the wild).
const TRAILER = /^[ \t]*co-authored-by:[ \t]*([^<\r\n]*?)[ \t]*(?:<([^>\r\n]*)>)?[ \t]*$/gim

export function coAuthors(message: string): CoAuthor[] {
  return [...message.matchAll(TRAILER)].map((m) => ({ name: (m[1] ?? '').trim(), email: m[2]?.trim() || null }))
}

const lc = (s: string | null | undefined) => (s ?? '').toLowerCase()

export function authorClass(c: Pick<Commit, 'author' | 'authorLogin' | 'authorEmail' | 'message'>, rules: AuthorRules): AuthorClass {
  const login = lc(c.authorLogin ?? c.author)
  const bots = new Set(rules.botAuthors.map(lc))
  const assistants = rules.aiAssistants.map(lc).filter((a) => a.length > 0)
  const namesAssistant = (...texts: string[]) => texts.some((t) => t.length > 0 && assistants.some((a) => t.includes(a)))
  if (login && bots.has(login)) return 'bot'
  if (namesAssistant(login)) return 'ai_assisted'
  if (login.endsWith('[bot]')) return 'bot'
  if (coAuthors(c.message).some((co) => namesAssistant(lc(co.name), lc(co.email)))) return 'ai_assisted'
  return 'human'
}

/** The §16 fields of a change record: its class, and whether `metrics.excludeBots` keeps it out of lead time. */
export function changeAuthor(rules: AuthorRules & { excludeBots: boolean }): (c: Commit) => Pick<ChangeRecord, 'authorClass' | 'inLeadTime'> {
  return (c) => {
    const cls = authorClass(c, rules)
    return { authorClass: cls, inLeadTime: !(rules.excludeBots && cls === 'bot') }
  }
}
