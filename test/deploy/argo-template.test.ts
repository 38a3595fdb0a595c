import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseAllDocuments, parse as parseYaml } from 'yaml'
import { genericEventSchema } from '../../sources/events/generic-schema.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
const hasGo = spawnSync('go', ['version']).status === 0
if (!hasGo) console.warn('SKIPPED test/deploy/argo-template.test.ts: no Go toolchain on PATH (the template is rendered with Go text/template, as Argo Rollouts does)')

/** The template body as the ConfigMap ships it. */
function templateBody(): string {
  const docs = parseAllDocuments(readFileSync(path.join(ROOT, 'deploy/argo-rollouts/doraflow-notifications.yaml'), 'utf8')).map((d) => d.toJS())
  const cm = docs.find((d) => d.kind === 'ConfigMap')
  return parseYaml(cm.data['template.doraflow-rollout']).webhook.doraflow.body as string
}

const recorded = () => parseYaml(readFileSync(path.join(ROOT, 'test/fixtures/argo-rollouts/rollout-aborted.yaml'), 'utf8'))

/** Renders with Go's text/template over the object decoded like Argo Rollouts decodes it. */
function render(rollout: unknown): unknown {
  const dir = mkdtempSync(path.join(tmpdir(), 'argo-tmpl-'))
  writeFileSync(path.join(dir, 'body.tmpl'), templateBody())
  writeFileSync(path.join(dir, 'rollout.json'), JSON.stringify(rollout))
  const out = execFileSync('go', ['run', path.join(ROOT, 'test/deploy/render/main.go'), path.join(dir, 'body.tmpl'), path.join(dir, 'rollout.json')], { encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' } })
  return JSON.parse(out)
}

describe.runIf(hasGo)('deploy/argo-rollouts: the notification template rendered over a recorded Rollout', () => {
  it('the recorded aborted canary (setWeight 10 at step 0, abortedAt 09:10:05) → an aborted rollout step at weight 10 that POST /events accepts', () => {
    const body = render(recorded())
    expect(body).toEqual({
      kind: 'rollout',
      id: 'aeddde25-f8bd-4a68-a4a1-523a559bdb83:db976bc44:0:aborted',
      source: 'argo',
      rollout: 'aeddde25-f8bd-4a68-a4a1-523a559bdb83:db976bc44',
      service: 'rollout-background-analysis',
      environment: 'default',
      step: 0,
      weight: 10,
      phase: 'aborted',
      at: '2020-09-22T09:10:05Z',
      message: 'step 0 of rollout rollout-background-analysis',
    })
    expect(genericEventSchema.safeParse(body).success).toBe(true)
  }, 120_000)

  it('the same object paused at step 1 (after setWeight 10), then Healthy: paused at 10 (Progressing time), completed at 100', () => {
    const paused = recorded()
    paused.status = { ...paused.status, abort: false, phase: 'Paused', currentStepIndex: 1 }
    expect(render(paused)).toMatchObject({ id: 'aeddde25-f8bd-4a68-a4a1-523a559bdb83:db976bc44:1:paused', weight: 10, phase: 'paused', at: '2020-09-22T09:10:04Z' })
    const healthy = recorded()
    healthy.status = { ...healthy.status, abort: false, phase: 'Healthy', currentStepIndex: 2 }
    expect(render(healthy)).toMatchObject({ step: 2, weight: 100, phase: 'completed' })
    // A Rollout without steps (no currentStepIndex): step null, and still an event POST /events takes.
    const noSteps = recorded()
    delete noSteps.status.currentStepIndex
    noSteps.status = { ...noSteps.status, abort: false, phase: 'Progressing' }
    const body = render(noSteps)
    expect(body).toMatchObject({ step: null, phase: 'progressing', id: 'aeddde25-f8bd-4a68-a4a1-523a559bdb83:db976bc44:null:progressing' })
    expect(genericEventSchema.safeParse(body).success).toBe(true)
  }, 120_000)
})
