/**
 * Runtime messages between extension pages and the background, and their validation.
 * Anything that does not match exactly is dropped by the receiver.
 */
import type { PageChecks } from './page-checks';
import type { PartySummary } from './parties';
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

export type BackgroundRequest = { type: 'get-visit'; tabId: number } | { type: 'get-status' };

export type BackgroundResponse =
  | {
      type: 'visit';
      visit: Visit | null;
      parties: PartySummary | null;
      /** Imprint, privacy notice, messengers: null until the content script has reported. */
      checks: PageChecks | null;
      /** A data asset failed to load: companies and countries may show as unknown. */
      dataIncomplete: boolean;
    }
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
  return false;
}
