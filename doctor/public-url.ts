import { check, type Check } from './check.ts'

/**
 * Whether the senders can reach doraflow at the URL they are given: /healthz must be
 * doraflow's, and an unsigned GitHub delivery must be refused (401) — a 2xx means the
 * endpoint takes anyone's webhooks, anything else that a proxy is in the way.
 */
export async function publicUrlChecks(url: string): Promise<Check[]> {
  const base = url.replace(/\/+$/, '')
  let health: Response
  try {
    health = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5000) })
  } catch (e) {
    return [check('url', 'fail', `${base} cannot be reached from here: ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`, 'check DNS, the firewall / security group, and that serve listens on 0.0.0.0 (server.host)')]
  }
  const body = (await health.json().catch(() => null)) as { service?: string } | null
  if (!health.ok || body?.service !== 'doraflow') return [check('url', 'fail', `${base}/healthz answered ${health.status} but not as doraflow`, 'the URL points at something else (a proxy or another service): route it to doraflow serve')]
  const unsigned = await fetch(`${base}/webhooks/github`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': `doraflow-doctor-${Date.now()}` }, body: '{"zen":"doctor"}', signal: AbortSignal.timeout(5000) })
  await unsigned.arrayBuffer()
  if (unsigned.status === 401) return [check('url', 'ok', `${base} is doraflow and refuses unsigned webhooks (401): point GitHub at ${base}/webhooks/github and PagerDuty at ${base}/webhooks/pagerduty`)]
  if (unsigned.ok) return [check('url', 'warn', `${base}/webhooks/github accepted an unsigned delivery (${unsigned.status})`, 'set github.webhookSecrets: anyone who reaches this URL can post events')]
  return [check('url', 'fail', `${base}/webhooks/github answered ${unsigned.status} to an unsigned delivery (doraflow answers 401)`, 'a proxy in front of doraflow changes webhook requests: let POST /webhooks/* through unchanged')]
}
