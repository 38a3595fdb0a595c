/**
 * deploy/: no container engine or cluster here, and no manifest validator in
 * the allowed registries was installed, so this checks what can be checked:
 * every file parses as YAML, the shapes the platform needs (zod schemas of
 * the fields we rely on), cross-references (labels, secrets, config), and
 * that the shipped doraflow.yaml passes doraflow's own config validation.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseAllDocuments, parse } from 'yaml'
import { z } from 'zod'
import { parseConfigText } from '../../config/load.ts'

const DEPLOY = resolve(import.meta.dirname, '../../deploy')
const docs = (file: string) => parseAllDocuments(readFileSync(file, 'utf8')).map((d) => {
  expect(d.errors).toEqual([])
  return d.toJS() as Record<string, any>
})

const probe = z.object({ httpGet: z.object({ path: z.string().startsWith('/'), port: z.union([z.string(), z.number()]) }) })
const container = z.object({
  name: z.string(),
  image: z.string().regex(/^[\w./-]+:[\w.-]+$/),
  args: z.array(z.string()),
  ports: z.array(z.object({ containerPort: z.number() })).optional(),
  env: z.array(z.object({ name: z.string(), valueFrom: z.object({ secretKeyRef: z.object({ name: z.string(), key: z.string() }) }) })).optional(),
  readinessProbe: probe,
  livenessProbe: probe,
})
const deployment = z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('Deployment'),
  metadata: z.object({ name: z.string() }),
  spec: z.object({
    replicas: z.number().int().positive(),
    selector: z.object({ matchLabels: z.record(z.string(), z.string()) }),
    template: z.object({ metadata: z.object({ labels: z.record(z.string(), z.string()) }), spec: z.object({ containers: z.array(container).min(1), terminationGracePeriodSeconds: z.number().min(11) }) }),
  }),
})

describe('deploy/k8s manifests', () => {
  const files = readdirSync(join(DEPLOY, 'k8s')).filter((f) => f.endsWith('.yaml'))
  const all = files.flatMap((f) => docs(join(DEPLOY, 'k8s', f)))
  const byKind = (k: string) => all.filter((d) => d.kind === k)

  it('parse, and every Deployment has probes, matching selectors, a grace period over the 10 s shutdown', () => {
    expect(all.length).toBeGreaterThanOrEqual(6)
    for (const d of byKind('Deployment')) {
      const dep = deployment.parse(d)
      expect(dep.spec.template.metadata.labels).toMatchObject(dep.spec.selector.matchLabels)
    }
    expect(byKind('Deployment').map((d) => d.spec.template.spec.containers[0].args.at(-1)).sort()).toEqual(['ingest', 'process'])
  })

  it('the PodDisruptionBudget selects the ingest pods; Secret references name keys of one Secret', () => {
    const [pdb] = byKind('PodDisruptionBudget')
    expect(pdb).toMatchObject({ apiVersion: 'policy/v1', spec: { minAvailable: expect.any(Number) } })
    const ingest = byKind('Deployment').find((d) => d.metadata.name === 'doraflow-ingest')!
    expect(ingest.spec.template.metadata.labels).toMatchObject(pdb!.spec.selector.matchLabels)
    const secret = byKind('Secret')[0]!
    for (const d of byKind('Deployment')) for (const e of d.spec.template.spec.containers[0].env ?? []) {
      expect(e.valueFrom.secretKeyRef.name).toBe(secret.metadata.name)
      if (!e.valueFrom.secretKeyRef.optional) expect(Object.keys(secret.stringData)).toContain(e.valueFrom.secretKeyRef.key)
    }
  })

  it("the ConfigMap's doraflow.yaml is a valid doraflow config in Kafka + ClickHouse server mode", () => {
    const cm = byKind('ConfigMap')[0]!
    const config = parseConfigText(cm.data['doraflow.yaml'], { CLICKHOUSE_PASSWORD: 'x', GITHUB_WEBHOOK_SECRET: 'x', PAGERDUTY_WEBHOOK_SECRET: 'x', DORAFLOW_EVENTS_TOKEN: 'x', DORAFLOW_API_TOKEN: 'x' })
    expect(config.log).toMatchObject({ kind: 'kafka', partitions: 12, replicationFactor: 3 })
    expect(config.clickhouse.kind).toBe('server')
  })
})

describe('deploy/docker-compose.yml', () => {
  it('parses and has Kafka (KRaft), ClickHouse, Grafana with the ClickHouse plugin, ingest and process', () => {
    const compose = parse(readFileSync(join(DEPLOY, 'docker-compose.yml'), 'utf8'))
    expect(Object.keys(compose.services).sort()).toEqual(['clickhouse', 'grafana', 'ingest', 'kafka', 'process'])
    expect(compose.services.kafka.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller')
    expect(compose.services.grafana.environment.GF_INSTALL_PLUGINS).toContain('grafana-clickhouse-datasource')
    expect(compose.services.ingest.command.at(-1)).toBe('ingest')
    expect(compose.services.process.command.at(-1)).toBe('process')
    const ds = parse(readFileSync(join(DEPLOY, 'grafana/provisioning/datasources/clickhouse.yaml'), 'utf8'))
    expect(ds.datasources[0].type).toBe('grafana-clickhouse-datasource')
    const config = parseConfigText(readFileSync(join(DEPLOY, 'config/doraflow.yaml'), 'utf8'), { CLICKHOUSE_PASSWORD: 'x', GITHUB_WEBHOOK_SECRET: 'x' })
    expect(config.log.kind).toBe('kafka')
  })
})
