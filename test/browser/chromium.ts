import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'

/**
 * Debian's chromium driven by playwright-core. Without /usr/bin/chromium the
 * browser tests are skipped with a loud reason, except under CI=true where
 * they fail (CI runs scripts/browser/install.sh first).
 */
export const CHROMIUM = process.env.DORAFLOW_CHROMIUM ?? '/usr/bin/chromium'
export const HAVE_CHROMIUM = existsSync(CHROMIUM)
export const IN_CI = process.env.CI === 'true'

if (!HAVE_CHROMIUM) {
  const line = '!'.repeat(78)
  process.stderr.write(
    `\n${line}\n!! ${IN_CI ? 'FAILING' : 'SKIPPING'} the browser tests: ${CHROMIUM} is missing.\n` +
      '!! Install it with scripts/browser/install.sh (apt-get install -y chromium).\n' +
      `${line}\n\n`,
  )
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** A fresh profile (--user-data-dir) per launch: no state leaks between runs. */
export async function launch(viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'doraflow-chromium-'))
  return chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport })
}

/** Where screenshots go: $DORAFLOW_SCREENSHOTS or a fresh temporary directory (printed). */
export function screenshotDir(): string {
  const dir = process.env.DORAFLOW_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'doraflow-screenshots-'))
  return dir
}

/** Collects a page's uncaught errors and console errors, so a test can require none. */
export function pageErrors(): { errors: string[]; watch: (p: Page) => Page } {
  const errors: string[] = []
  const watch = (p: Page) => {
    p.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
    p.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`))
    return p
  }
  return { errors, watch }
}

/**
 * A browser suite's shared state: one context for the suite (launched in
 * beforeAll, closed in afterAll), the screenshot folder, and the errors of the
 * pages it watches (pageErrors).
 */
export function browserSession(): { ctx: () => BrowserContext; shots: string; errors: string[]; watch: (p: Page) => Page } {
  let ctx: BrowserContext | undefined
  const shots = HAVE_CHROMIUM ? screenshotDir() : ''
  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error('CI=true and /usr/bin/chromium is missing: run scripts/browser/install.sh')
    ctx = await launch()
    process.stderr.write(`browser screenshots: ${shots}\n`)
  })
  afterAll(async () => {
    await ctx?.close()
  })
  return { ctx: () => ctx!, shots, ...pageErrors() }
}
