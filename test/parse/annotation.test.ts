import { describe, expect, it } from 'vitest'
import type { Envelope } from '../../contracts/envelope.ts'
import { buildEnvelope } from '../../ingest/envelope.ts'
import { decodeEnvelope, encodeEnvelope, partitionKey } from '../../log/kafka-codec.ts'
import { annotationRow } from '../../processors/annotations.ts'
import { parseBatch } from '../../processors/parse-batch.ts'
import { parseEnvelope } from '../../sources/parse.ts'
import { scenarioConfig } from '../helpers/server.ts'
import { expectDlq, single } from './fixtures.ts'

/** Annotations as the API writes them into the log (api/annotations.ts). */
const annotationEnvelope = (data: unknown, deliveryId = 'n1:added'): Envelope =>
  buildEnvelope({ source: 'annotation', deliveryId, path: '/api/v1/annotations', type: 'dev.doraflow.annotation.added', subject: 'n1', headers: {}, data: typeof data === 'string' ? data : JSON.stringify(data) })

const ADDED = { action: 'added', id: 'n1', at: '2026-07-03T00:00:00.500Z', endAt: null, text: 'code freeze', tags: ['freeze'], service: 'checkout', team: null }

describe('annotation parser', () => {
  it('added → AnnotationAdded, ms kept', () => {
    expect(single(parseEnvelope(annotationEnvelope(ADDED)), 'AnnotationAdded')).toEqual({
      type: 'AnnotationAdded',
      key: 'annotation:n1:added',
      routing: 'annotation:n1',
      id: 'n1',
      at: '2026-07-03T00:00:00.500Z',
      endAt: null,
      text: 'code freeze',
      tags: ['freeze'],
      service: 'checkout',
      team: null,
    })
  })

  it('removed → AnnotationRemoved', () => {
    expect(single(parseEnvelope(annotationEnvelope({ action: 'removed', id: 'n1', at: '2026-07-04T00:00:00Z' }, 'n1:removed')), 'AnnotationRemoved')).toEqual({
      type: 'AnnotationRemoved',
      key: 'annotation:n1:removed',
      routing: 'annotation:n1',
      id: 'n1',
      at: '2026-07-04T00:00:00Z',
    })
  })

  it('anything else is a dead letter naming the field, never a throw', () => {
    expectDlq(parseEnvelope(annotationEnvelope({ ...ADDED, text: '' })), 'text')
    expectDlq(parseEnvelope(annotationEnvelope({ ...ADDED, at: 'soon' })), 'at')
    expectDlq(parseEnvelope(annotationEnvelope({ ...ADDED, action: 'edited' })), 'action')
    expectDlq(parseEnvelope(annotationEnvelope('{"action":')), 'JSON')
  })

  it('parse-batch: annotations become rows of their own table (the log offset is the version), never facts', async () => {
    const batch = [
      { offset: 7, envelope: annotationEnvelope(ADDED) },
      { offset: 9, envelope: annotationEnvelope({ action: 'removed', id: 'n1', at: '2026-07-04T00:00:00Z' }, 'n1:removed') },
    ]
    const out = await parseBatch(batch)
    expect(out.facts).toEqual([])
    expect(out.routings.size).toBe(0)
    expect(out.annotations).toEqual([
      { id: 'n1', at: '2026-07-03 00:00:00.500', end_at: null, text: 'code freeze', tags: ['freeze'], service: 'checkout', team: '', removed: 0, version: 7, envelope_id: 'annotation:n1:added' },
      { id: 'n1', at: '2026-07-04 00:00:00.000', end_at: null, text: '', tags: [], service: '', team: '', removed: 1, version: 9, envelope_id: 'annotation:n1:removed' },
    ])
    expect(annotationRow(single(parseEnvelope(annotationEnvelope({ ...ADDED, endAt: '2026-07-05T00:00:00Z' })), 'AnnotationAdded'), 'x', 1).end_at).toBe('2026-07-05 00:00:00.000')
  })

  it('Kafka: keyed per annotation (its addition and removal stay in order), round-trips as a CloudEvent', () => {
    const config = scenarioConfig()
    const e = annotationEnvelope(ADDED)
    expect(partitionKey(e, config)).toBe('annotation:n1')
    const m = encodeEnvelope(e, 'annotation:n1')
    expect(decodeEnvelope({ key: Buffer.from(m.key), value: m.value, headers: m.headers })).toEqual(e)
  })
})
