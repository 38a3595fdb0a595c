/** Generated cluster DDL (text only: no multi-node cluster runs in the tests). */
import { describe, expect, it } from 'vitest'
import { clusterStatements } from '../../clickhouse/ddl.ts'
import { ddl, MIGRATIONS, SCHEMA_MIGRATIONS_DDL } from '../../clickhouse/migrations.ts'

describe('cluster DDL', () => {
  const all = [SCHEMA_MIGRATIONS_DDL, ...MIGRATIONS.flatMap((m) => m.statements)]

  it('leaves single-node DDL byte-identical', () => {
    for (const s of all) {
      expect(ddl(s, null)).toEqual([s])
      expect(ddl(s, undefined)).toEqual([s])
    }
  })

  it('runs every statement ON CLUSTER with Replicated engines and a Distributed _all table per table', () => {
    const out = clusterStatements(all, 'prod', 'doraflow')
    const creates = all.filter((s) => s.startsWith('CREATE TABLE'))
    expect(out.length).toBe(creates.length * 2 + (all.length - creates.length))
    for (const s of out) expect(s).toMatch(/^(CREATE TABLE IF NOT EXISTS|CREATE VIEW IF NOT EXISTS|ALTER TABLE) \w+ ON CLUSTER `prod` |^DROP VIEW IF EXISTS \w+ ON CLUSTER `prod`$/)
    // migration 5 recreates the metric_rows view (the changes counted in lead time only)
    expect(out).toContain('DROP VIEW IF EXISTS metric_rows ON CLUSTER `prod`')
    for (const s of out) expect(s).not.toMatch(/ENGINE = (ReplacingMergeTree|MergeTree)\b/)
    const facts = out.find((s) => s.startsWith('CREATE TABLE IF NOT EXISTS facts '))!
    expect(facts).toContain("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/doraflow/facts', '{replica}') ORDER BY (routing, key)")
    const deployments = out.find((s) => s.startsWith('CREATE TABLE IF NOT EXISTS deployments '))!
    expect(deployments).toContain("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/doraflow/deployments', '{replica}') ORDER BY (service, deployed_at, id)")
    expect(out).toContain('CREATE TABLE IF NOT EXISTS deployments_all ON CLUSTER `prod` AS deployments ENGINE = Distributed(`prod`, `doraflow`, deployments, rand())')
    expect(out).toContain('ALTER TABLE facts ON CLUSTER `prod` ADD INDEX IF NOT EXISTS facts_entity entity TYPE bloom_filter GRANULARITY 4')
    // Column lists survive unchanged.
    expect(facts).toContain('body String, envelope_id String, log_offset UInt64')
  })

  it('refuses a bad cluster name (identifiers come from config only)', () => {
    expect(() => clusterStatements(all, 'prod; DROP', 'doraflow')).toThrow(/bad identifier/)
  })
})
