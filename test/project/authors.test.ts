import { describe, expect, it } from 'vitest'
import { DEFAULT_AI_ASSISTANTS } from '../../config/rules.ts'
import { authorClass, coAuthors } from '../../processors/project/authors.ts'
import { project } from '../../processors/project/index.ts'
import { CHECKOUT, commit, config, deploy, push, sha } from './builders.ts'

const rules = { botAuthors: ['renovate-runner'], aiAssistants: DEFAULT_AI_ASSISTANTS }
const c = (o: { login?: string | null; name?: string | null; message?: string }) => ({ author: o.name ?? null, authorLogin: o.login ?? null, authorEmail: null, message: o.message ?? 'fix' })

describe('§16 author classes', () => {
  it('bot: a login ending in [bot], or one listed in metrics.botAuthors (any case)', () => {
    expect(authorClass(c({ login: 'dependabot[bot]' }), rules)).toBe('bot')
    expect(authorClass(c({ login: 'Renovate-Runner' }), rules)).toBe('bot')
    // no login (a source without accounts): the name is what we have
    expect(authorClass(c({ name: 'github-actions[bot]' }), rules)).toBe('bot')
  })

  it('ai_assisted: a Co-authored-by trailer naming an assistant, by name or e-mail, case-insensitive', () => {
    expect(authorClass(c({ login: 'jane', message: 'Add retries\n\nCo-Authored-By: Claude <noreply@anthropic.com>' }), rules)).toBe('ai_assisted')
    expect(authorClass(c({ login: 'jane', message: 'x\n\nco-authored-by: Agent <cursoragent@CURSOR.com>' }), rules)).toBe('ai_assisted')
    expect(authorClass(c({ login: 'jane', message: 'x\n\nCo-authored-by: Copilot' }), rules)).toBe('ai_assisted') // no e-mail part
    // a human co-author, or an assistant named outside a trailer, is not
    expect(authorClass(c({ login: 'jane', message: 'x\n\nCo-authored-by: Bob <bob@acme.io>' }), rules)).toBe('human')
    expect(authorClass(c({ login: 'jane', message: 'tried Claude for this, did it by hand' }), rules)).toBe('human')
  })

  it('ai_assisted: an agent account, even one ending in [bot]; botAuthors still wins', () => {
    expect(authorClass(c({ login: 'devin-ai-integration[bot]' }), rules)).toBe('ai_assisted')
    expect(authorClass(c({ login: 'Copilot' }), rules)).toBe('ai_assisted')
    expect(authorClass(c({ login: 'copilot-helper' }), { ...rules, botAuthors: ['copilot-helper'] })).toBe('bot')
  })

  it('a bot with an assistant co-author stays a bot (bots come first)', () => {
    expect(authorClass(c({ login: 'dependabot[bot]', message: 'bump\n\nCo-authored-by: Claude <noreply@anthropic.com>' }), rules)).toBe('bot')
  })

  it('metrics.aiAssistants replaces the default list', () => {
    const own = { botAuthors: [], aiAssistants: ['Aider'] }
    expect(authorClass(c({ login: 'jane', message: 'x\n\nCo-authored-by: aider (gpt) <noreply@aider.chat>' }), own)).toBe('ai_assisted')
    expect(authorClass(c({ login: 'jane', message: 'x\n\nCo-authored-by: Claude <noreply@anthropic.com>' }), own)).toBe('human')
  })

  it('reads every trailer line', () => {
    expect(coAuthors('t\n\nCo-authored-by: A <a@x>\nCo-authored-by: B\nSigned-off-by: C <c@x>')).toEqual([{ name: 'A', email: 'a@x' }, { name: 'B', email: null }])
  })
})

describe('§16 authors in the projection', () => {
  const events = () => [
    deploy({ id: 1, sha: sha(1), at: '2026-07-01T00:00:00' }),
    push({ before: sha(1), after: sha(4), commits: [
      { ...commit(sha(2), '2026-07-01T06:00:00'), authorLogin: 'dependabot[bot]' },
      { ...commit(sha(3), '2026-07-01T08:00:00', 'feat\n\nCo-authored-by: Claude <noreply@anthropic.com>'), authorLogin: 'jane' },
      { ...commit(sha(4), '2026-07-01T10:00:00'), authorLogin: 'jane' },
    ] }),
    deploy({ id: 2, sha: sha(4), at: '2026-07-01T12:00:00' }),
  ]

  it('every change is stored with its class; all count in lead time by default', () => {
    const p = project(events(), config(CHECKOUT))
    // payload order; lead time = 12:00 − commit time
    expect(p.changes.map((x) => [x.sha, x.authorClass, x.inLeadTime, x.leadTimeSeconds])).toEqual([
      [sha(2), 'bot', true, 6 * 3600],
      [sha(3), 'ai_assisted', true, 4 * 3600],
      [sha(4), 'human', true, 2 * 3600],
    ])
  })

  it('metrics.excludeBots leaves only the bot change out of lead time (it is still a change of the deployment)', () => {
    const p = project(events(), config({ ...CHECKOUT, metrics: { excludeBots: true } }))
    expect(p.changes.map((x) => [x.authorClass, x.inLeadTime])).toEqual([['bot', false], ['ai_assisted', true], ['human', true]])
    expect(p.deployments.find((d) => d.id === 'github:acme/checkout#2')?.changeCount).toBe(3)
  })
})
