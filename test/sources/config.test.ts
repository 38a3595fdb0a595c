import { describe, expect, it } from 'vitest'
import { parseConfig, parseConfigText } from '../../config/load.ts'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const refused = (raw: unknown): string => {
  try {
    parseConfig(raw)
  } catch (err) {
    return (err as Error).message
  }
  throw new Error('the configuration was accepted')
}

describe('gitlab, incidentio, jira configuration', () => {
  it('defaults: nothing configured, GitLab production names and incident label, Jira type Incident', () => {
    const c = parseConfig({})
    expect(c.gitlab).toEqual({ webhookTokens: [], signingTokens: [], productionEnvironments: ['production', 'prod', 'live'], incidentLabels: ['incident'], token: null, apiUrl: 'https://gitlab.com/api/v4' })
    expect(c.incidentio).toEqual({ webhookSecrets: [] })
    expect(c.jira).toEqual({ webhookSecrets: [], issueTypes: ['Incident'], incidentLabels: [] })
  })
  it('the INTERFACE.md block, ${VAR}s expanded; unset variables mean nothing configured', () => {
    const c = parseConfigText(
      `gitlab:
  webhookTokens: [\${GITLAB_WEBHOOK_TOKEN}, \${GITLAB_WEBHOOK_TOKEN_OLD}]
  signingTokens: [\${GITLAB_SIGNING_TOKEN}]
  token: \${GITLAB_TOKEN}
  apiUrl: https://gitlab.example.com/api/v4
incidentio: {webhookSecrets: [\${INCIDENTIO_SECRET}]}
jira: {webhookSecrets: [s], issueTypes: [Incident, Outage], incidentLabels: [sev1]}
services:
  - {name: checkout, repositories: [acme/checkout], gitlabProjects: [acme/platform/checkout-worker], incidentioServices: [Checkout], jiraProjects: [OPS]}
`,
      { GITLAB_WEBHOOK_TOKEN: 't1', GITLAB_SIGNING_TOKEN: SECRET, INCIDENTIO_SECRET: SECRET },
    )
    expect(c.gitlab.webhookTokens).toEqual(['t1'])
    expect(c.gitlab.signingTokens).toEqual([SECRET])
    expect(c.gitlab.token).toBeNull()
    expect(c.gitlab.apiUrl).toBe('https://gitlab.example.com/api/v4')
    expect(c.incidentio.webhookSecrets).toEqual([SECRET])
    expect(c.jira.issueTypes).toEqual(['Incident', 'Outage'])
    expect(c.services[0]).toMatchObject({ gitlabProjects: ['acme/platform/checkout-worker'], incidentioServices: ['Checkout'], jiraProjects: ['OPS'] })
  })
  it('errors name the key and say what is wrong', () => {
    expect(refused({ gitlab: { signingTokens: ['not a secret'] } })).toContain('gitlab.signingTokens.0: must be a signing secret')
    expect(refused({ incidentio: { webhookSecrets: [SECRET, 'whsec_!!'] } })).toContain('incidentio.webhookSecrets.1: must be a signing secret')
    expect(refused({ gitlab: { apiUrl: 'gitlab.com' } })).toContain('gitlab.apiUrl: must be a URL')
    expect(refused({ gitlab: { webhookTokens: 'one' } })).toContain('gitlab.webhookTokens:')
    expect(refused({ services: [{ name: 's', gitlabProjects: ['checkout'] }] })).toContain('services.0.gitlabProjects.0: must be a project path')
    expect(refused({ services: [{ name: 's', jiraProjects: ['OPS-1'] }] })).toContain('services.0.jiraProjects.0: must be a Jira project key')
    expect(refused({ jira: { issueTypes: [''] } })).toContain('jira.issueTypes.0:')
  })
})
