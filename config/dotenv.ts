import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { parseEnv } from 'node:util'

/**
 * The environment a configuration file's `${VAR}`s are expanded from: the `.env`
 * beside the file (what `doraflow init` writes the generated secrets to), under the
 * process environment, which wins. No `.env`, no change.
 */
export function envFor(configFile: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const file = join(dirname(resolve(configFile)), '.env')
  if (!existsSync(file)) return env
  return { ...parseEnv(readFileSync(file, 'utf8')), ...env }
}
