import { ConfigError, loadConfig } from '../config/load.ts'
import { check, guarded, type Check } from './check.ts'
import { diskChecks } from './disk.ts'
import { pipelineChecks } from './pipeline.ts'
import { publicUrlChecks } from './public-url.ts'
import { secretChecks } from './secrets.ts'

export interface DoctorOptions {
  configFile: string | undefined
  env: NodeJS.ProcessEnv
  /** The public URL the senders are given, to check from here. */
  url?: string
}

/** Every check, in the order a new user fixes things: configuration, secrets, stores, reachability, data. */
export async function runDoctor(o: DoctorOptions): Promise<Check[]> {
  let loaded
  try {
    loaded = loadConfig(o.configFile, o.env)
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e
    // Nothing else can be checked on a configuration that does not load.
    return [check('config', 'fail', e.message, 'fix the keys named above (doraflow init writes a commented example)')]
  }
  const { config, file } = loaded
  const out: Check[] = [
    file
      ? check('config', 'ok', `${file}: every key known and valid; ${config.services.length} service${config.services.length === 1 ? '' : 's'} configured`)
      : check('config', 'warn', 'no ./doraflow.yaml: embedded defaults, no secrets, no services', 'run `doraflow init` (or `doraflow init --from-github ORG`)'),
  ]
  if (file && config.services.length === 0) out.push(check('services', 'warn', 'no services configured: every repository becomes a service of team "unassigned"', 'list services (name, team, repositories, pagerdutyServices) in doraflow.yaml'))
  out.push(...secretChecks(config))
  out.push(...(await guarded('stores', () => pipelineChecks(config))))
  if (o.url) out.push(...(await guarded('url', () => publicUrlChecks(o.url!))))
  else out.push(check('url', 'skip', 'public URL not checked', 'pass --url https://YOUR-HOST to check that GitHub and PagerDuty can reach doraflow'))
  out.push(...diskChecks(config))
  return out
}
