/**
 * Runtime messages between extension pages and the background, and their validation.
 * Anything that does not match exactly is dropped by the receiver.
 */
import type { PageChecks } from './page-checks';
import type { PartySummary } from './parties';
import type { Report } from './report';
import type { Visit } from './tally';

export interface DataAssetStatus {
  /** Since the worker's start, when the asset became usable. */
  readyAtMs: number;
  /** Fetch to usable, and its phases: response headers, body read/parse, index build. */
  loadMs: number;
  fetchMs: number;
  bodyMs: number;
  buildMs: number;
  source: string | null;
  error: string | null;
}

export type BackgroundRequest =
  | { type: 'get-visit'; tabId: number }
  | { type: 'get-status' }
  /** The user marks (true), unmarks (false) or resets (null) the page's site or account as an authority. */
  | { type: 'set-authority'; tabId: number; value: boolean | null };

export type BackgroundResponse =
  | {
      type: 'visit';
      visit: Visit | null;
      parties: PartySummary | null;
      /** Imprint, privacy notice, messengers: null until the content script has reported. */
      checks: PageChecks | null;
      /** The report (docs/report-schema.json): verdict, findings, everything. */
      report: Report | null;
      /** A data asset failed to load: companies and countries may show as unknown. */
      dataIncomplete: boolean;
    }
  | { type: 'error'; message: string }
  | {
      type: 'status';
      startedAt: number;
      visits: number;
      /** How each data asset loaded (absent while loading). */
      data: { trackers?: DataAssetStatus; ipTable?: DataAssetStatus };
    };

export function isBackgroundRequest(value: unknown): value is BackgroundRequest {
  if (!value || typeof value !== 'object') return false;
  const m = value as Record<string, unknown>;
  if (m.type === 'get-visit') return Number.isInteger(m.tabId) && (m.tabId as number) >= 0 && Object.keys(m).length === 2;
  if (m.type === 'get-status') return Object.keys(m).length === 1;
  if (m.type === 'set-authority')
    return (
      Number.isInteger(m.tabId) && (m.tabId as number) >= 0 && (m.value === true || m.value === false || m.value === null) && Object.keys(m).length === 3
    );
  return false;
}
