/**
 * How people know each source, for what is printed to them (serve's start banner,
 * doctor): a name and a hint on setting up the sender. A source without an entry
 * is shown by its folder name — new sources work without touching this file.
 */
export const SOURCE_DISPLAY: Record<string, { name: string; sender?: string; secretFix?: string }> = {
  github: { name: 'GitHub', sender: 'JSON; push, pull_request, deployment_status, issues', secretFix: 'set GITHUB_WEBHOOK_SECRET (doraflow init generates one) and paste the same value as the webhook\'s "Secret" on GitHub' },
  pagerduty: { name: 'PagerDuty', sender: 'a V3 webhook subscription', secretFix: 'create the V3 webhook subscription in PagerDuty and set PAGERDUTY_WEBHOOK_SECRET to the secret it shows' },
  events: { name: 'other tools', sender: 'doraflow JSON or CloudEvents', secretFix: 'set DORAFLOW_EVENTS_TOKEN and send it as "Authorization: Bearer <token>"' },
}

export const displayName = (source: string) => SOURCE_DISPLAY[source]?.name ?? source
