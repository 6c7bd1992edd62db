/**
 * Records every analysed page visit's report in the history (lib/history/store.ts, IndexedDB).
 * Idempotent: a report recorded again for the same visit replaces the earlier analysis, so it is
 * safe to record on every settled verdict and again after a worker restart. Private (incognito)
 * tabs are never recorded. Old visits are pruned at start-up (retention setting).
 */
import { browser } from 'wxt/browser';
import type { HistoryStore } from '@/lib/history/schema';
import { openHistoryStore } from '@/lib/history/store';
import type { FetchedDoc } from '@/lib/page/checks';
import type { Report } from '@/lib/verdict/report';
import { GREY_REASONS } from '@/lib/verdict/grey-reasons';

let storePromise: Promise<HistoryStore> | null = null;

function store(onError: (where: string, error: unknown) => void): Promise<HistoryStore> {
  storePromise ??= openHistoryStore(indexedDB, {
    onBlocked: () => onError('history', new Error('history upgrade blocked by an open history page')),
  }).catch((error: unknown) => {
    storePromise = null; // try again on the next record
    throw error;
  });
  return storePromise;
}

export async function recordInHistory(
  tabId: number,
  report: Report,
  onError: (where: string, error: unknown) => void,
): Promise<void> {
  // Only analysed pages, never private windows (the tab says so; a closed tab is not recorded).
  if (report.verdict === 'grey' && report.greyReason === GREY_REASONS.notRead) return;
  const tab = await browser.tabs.get(tabId).catch(() => null);
  if (!tab || tab.incognito) return;
  try {
    const result = await (await store(onError)).record(report);
    if (result.status === 'failed') onError('history', result.error);
    if (result.status === 'refused') onError('history', new Error(result.message.en));
  } catch (error) {
    onError('history', error);
  }
}

/** Whether the user paused the history (then nothing of a visit is kept, its request rows neither). */
export async function historyPaused(onError: (where: string, error: unknown) => void): Promise<boolean> {
  try {
    return (await (await store(onError)).settings()).paused;
  } catch (error) {
    onError('history.settings', error);
    return true;
  }
}

export async function pruneHistory(onError: (where: string, error: unknown) => void): Promise<void> {
  try {
    await (await store(onError)).prune();
  } catch (error) {
    onError('history.prune', error);
  }
}

/**
 * Keeps the text of a fetched imprint or privacy page with the history, for the evidence bundle
 * (lib/history/store.ts `recordSnapshot`: the same text of a URL is stored once). `doc.url` is the
 * link URL the report names.
 */
export async function recordLegalText(
  tabId: number,
  kind: 'imprint' | 'privacy',
  doc: FetchedDoc,
  onError: (where: string, error: unknown) => void,
): Promise<void> {
  if (doc.error || !doc.text) return;
  const tab = await browser.tabs.get(tabId).catch(() => null);
  if (!tab || tab.incognito) return; // never private windows
  try {
    const r = await (await store(onError)).recordSnapshot({
      url: doc.url,
      kind,
      text: doc.text,
      fetchedAt: doc.fetchedAt,
    });
    if (r.status === 'failed') onError('history.snapshot', r.error);
  } catch (error) {
    onError('history.snapshot', error);
  }
}
