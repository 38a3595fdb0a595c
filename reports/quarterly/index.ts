import type { Db } from '../../clickhouse/client.ts'
import type { Config } from '../../config/schema.ts'
import { loadQuarterly, type QuarterlyOptions, type QuarterlyReport } from './data.ts'
import { renderCsv } from './render-csv.ts'
import { renderHtml } from './render-html.ts'
import { renderMarkdown } from './render-md.ts'

export { QuarterError } from './period.ts'
export { loadQuarterly, type QuarterlyReport } from './data.ts'

export const REPORT_FORMATS = ['md', 'html', 'csv'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
}

export function renderQuarterly(r: QuarterlyReport, format: ReportFormat): string {
  return format === 'html' ? renderHtml(r) : format === 'csv' ? renderCsv(r) : renderMarkdown(r)
}

export async function quarterlyReport(db: Db, config: Config, opts: QuarterlyOptions & { format: ReportFormat }): Promise<string> {
  return renderQuarterly(await loadQuarterly(db, config, opts), opts.format)
}
