import { readFileSync, existsSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { configSchema, type Config } from './schema.ts'
import { describeUnknownKey, unknownKeys } from './unknown-keys.ts'

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * Replaces `${VAR}` with the environment variable. `${VAR}` also reads
 * `VAR_FILE` (a path, the Kubernetes-secret convention) when VAR is unset.
 * Done on the parsed tree, so a value with YAML metacharacters stays one string.
 */
export function expandEnv(node: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof node === 'string') {
    return node.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
      const v = env[name]
      if (v !== undefined) return v
      const file = env[`${name}_FILE`]
      if (file) {
        try {
          return readFileSync(file, 'utf8').trim()
        } catch (e) {
          throw new ConfigError(`${name}_FILE points to ${file}, which cannot be read: ${(e as Error).message}`)
        }
      }
      return ''
    })
  }
  if (Array.isArray(node)) return node.map((x) => expandEnv(x, env))
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, expandEnv(v, env)]))
  }
  return node
}

/** Validates a raw config tree; an error names every bad key and what is wrong. */
export function parseConfig(raw: unknown, env: NodeJS.ProcessEnv = {}): Config {
  const expanded = expandEnv(raw ?? {}, env)
  // A misspelt key would otherwise be dropped silently (and with it, say, a webhook secret).
  const unknown = unknownKeys(configSchema, expanded).map(describeUnknownKey)
  const result = configSchema.safeParse(expanded)
  // A strict object's own unrecognized_keys issue is already said above, with a suggestion.
  const issues = result.success ? [] : result.error.issues.filter((i) => i.code !== 'unrecognized_keys')
  const lines = [...unknown, ...issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)]
  if (lines.length > 0 || !result.success) {
    throw new ConfigError(`invalid configuration:\n${lines.map((l) => `  - ${l}`).join('\n')}`)
  }
  return result.data
}

const PLACEHOLDER = (name: string) => `__doraflow_env_${name}__`

/**
 * `${VAR}` is not valid YAML inside a flow sequence (`[${TOKEN}]`: `{` opens a
 * mapping), yet that is how INTERFACE.md writes it. So each `${VAR}` becomes a
 * plain placeholder before parsing and is expanded in the parsed tree: the
 * value is never re-read as YAML, whatever characters it holds.
 */
export function parseConfigText(text: string, env: NodeJS.ProcessEnv, source = 'config'): Config {
  const protectedText = text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => PLACEHOLDER(name))
  let raw: unknown
  try {
    raw = parseYaml(protectedText)
  } catch (e) {
    throw new ConfigError(`${source} is not valid YAML: ${(e as Error).message}`)
  }
  const restore = (node: unknown): unknown => {
    if (typeof node === 'string') return node.replace(/__doraflow_env_([A-Za-z_][A-Za-z0-9_]*?)__/g, (_m, name: string) => `\${${name}}`)
    if (Array.isArray(node)) return node.map(restore)
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, restore(v)]))
    return node
  }
  return parseConfig(restore(raw), env)
}

export interface LoadedConfig {
  config: Config
  /** The file read, or null when none existed and the embedded defaults apply. */
  file: string | null
}

export function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv): LoadedConfig {
  const path = file ?? './doraflow.yaml'
  if (!existsSync(path)) {
    if (file) throw new ConfigError(`config file ${file} does not exist`)
    return { config: parseConfig({}, env), file: null }
  }
  return { config: parseConfigText(readFileSync(path, 'utf8'), env, path), file: path }
}
