import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Envelope } from '../../contracts/envelope.ts'

export function tmpLogDir(): string {
  // A nested, not-yet-existing path: openEmbeddedLog must create it.
  return join(mkdtempSync(join(tmpdir(), 'doraflow-log-')), 'data', 'log')
}

export function envelope(id: string, subject = 'acme/api'): Envelope {
  return {
    specversion: '1.0',
    id: `generic:${id}`,
    source: '/events',
    type: 'dev.doraflow.generic.deployment',
    time: '2024-05-01T12:00:00.000Z',
    subject,
    datacontenttype: 'application/json',
    doraflowsource: 'generic',
    doraflowheaders: {},
    data: JSON.stringify({ id, service: subject }),
  }
}
