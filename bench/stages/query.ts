import { runJson } from '../lib/proc.ts'

export interface QueryResult {
  seed: { services: number; deployments: number; changes: number; incidents: number; failedAttempts: number; seconds: number }
  api: { medianMs: number; ms: number[]; rows: number; totals: Record<string, number> }
  ceiling: { medianMs: number; ms: number[]; rows: number; totals: Record<string, number> }
  same: boolean
  quarterly: { medianMs: number; ms: number[]; bytes: number } | { unavailable: string }
}

export const benchQuery = (o: { services: number; deployments: number; changes: number; incidents: number; failedAttempts: number; runs: number }) =>
  runJson<QueryResult>('bench/lib/query-child.ts', o)
