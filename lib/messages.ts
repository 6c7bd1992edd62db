/**
 * Runtime messages between extension pages and the background, and their validation.
 * Anything that does not match exactly is dropped by the receiver.
 */
import type { PartySummary } from './parties';
import type { Visit } from './tally';

export type BackgroundRequest = { type: 'get-visit'; tabId: number } | { type: 'get-status' };

export type BackgroundResponse =
  | {
      type: 'visit';
      visit: Visit | null;
      parties: PartySummary | null;
      /** A data asset failed to load: companies and countries may show as unknown. */
      dataIncomplete: boolean;
    }
  | {
      type: 'status';
      startedAt: number;
      visits: number;
      /** How the data assets loaded (null while loading). */
      data: { loadMs: number; trackers: string | null; ipTable: string | null; errors: string[] } | null;
    };

export function isBackgroundRequest(value: unknown): value is BackgroundRequest {
  if (!value || typeof value !== 'object') return false;
  const m = value as Record<string, unknown>;
  if (m.type === 'get-visit') return Number.isInteger(m.tabId) && (m.tabId as number) >= 0 && Object.keys(m).length === 2;
  if (m.type === 'get-status') return Object.keys(m).length === 1;
  return false;
}
