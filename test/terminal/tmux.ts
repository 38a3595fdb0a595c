import { execFileSync, spawnSync } from 'node:child_process'
import { eventually } from '../helpers/payloads.ts'

/**
 * A real terminal: tmux, driven through its command line. Without tmux the terminal
 * tests are skipped with a loud reason, except under CI=true where they fail
 * (CI runs scripts/terminal/install.sh first).
 */
export const HAVE_TMUX = spawnSync('tmux', ['-V']).status === 0
export const IN_CI = process.env.CI === 'true'

if (!HAVE_TMUX) {
  const line = '!'.repeat(78)
  process.stderr.write(`\n${line}\n!! ${IN_CI ? 'FAILING' : 'SKIPPING'} the terminal tests: tmux is missing.\n!! Install it with scripts/terminal/install.sh (apt-get install -y tmux).\n${line}\n\n`)
}

export class Tmux {
  private constructor(readonly session: string) {}

  /** A detached session of a fixed size running `command` in `cwd`; the pane stays after the command exits. */
  static start(command: string, cwd: string, env: Record<string, string> = {}, size = { width: 140, height: 45 }): Tmux {
    const session = `doraflow-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`
    const exports = Object.entries(env).map(([k, v]) => `export ${k}='${v}'; `).join('')
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', String(size.width), '-y', String(size.height), '-c', cwd, `${exports}${command}; echo "[exit $?]"; sleep 600`])
    return new Tmux(session)
  }

  /** What the terminal shows now (with the scrollback). */
  screen(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-J', '-S', '-200', '-t', this.session], { encoding: 'utf8' })
  }

  async waitFor(pattern: RegExp, timeoutMs = 90_000): Promise<string> {
    try {
      return await eventually(async () => {
        const s = this.screen()
        return pattern.test(s) ? s : undefined
      }, timeoutMs, `the terminal to show ${pattern}`)
    } catch (e) {
      throw new Error(`${(e as Error).message}; it shows:\n${this.screenSafe()}`)
    }
  }

  private screenSafe(): string {
    try {
      return this.screen()
    } catch {
      return '(no session)'
    }
  }

  keys(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.session, ...keys])
  }

  kill(): void {
    spawnSync('tmux', ['kill-session', '-t', this.session])
  }
}
