/**
 * Keeps what the webRequest listeners saw of each request (lib/tally/request-rows.ts) for the HAR
 * of the evidence package: batches go to IndexedDB (lib/history/request-store.ts) at most every
 * FLUSH_MS, never to storage.session. Only for visits the history would record: not in private
 * windows, not while the history is paused (the same rules as entrypoints/background/history.ts).
 * Rows still in memory when Chrome stops the worker are lost (at most FLUSH_MS of them): the HAR
 * then says how many rows it has, and the report's count stays the truth.
 */
import { browser } from 'wxt/browser';
import { type RequestStore, openRequestStore } from '@/lib/history/request-store';
import { RequestRecorder, type RowEvent, type VisitRows } from '@/lib/tally/request-rows';
import type { Visit } from '@/lib/tally/types';
import { historyPaused } from './history';

const FLUSH_MS = 1_000;

export interface RequestRows {
  observe(event: RowEvent): void;
  forget(tabId: number): void;
}

export function startRequestRows(
  visitOf: (tabId: number) => Visit | null,
  onError: (where: string, error: unknown) => void,
): RequestRows {
  const recorder = new RequestRecorder();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let store: Promise<RequestStore> | null = null;
  // Whether each tab is private, learnt while it is open: a closed tab's last rows are written
  // only when it was seen as not private.
  const incognito = new Map<number, boolean>();

  const write = async (batches: VisitRows[]) => {
    if (!batches.length || (await historyPaused(onError))) return;
    store ??= openRequestStore().catch((error: unknown) => {
      store = null;
      throw error;
    });
    const s = await store;
    for (const batch of batches) {
      const tab = await browser.tabs.get(batch.tabId).catch(() => null);
      if (tab) incognito.set(batch.tabId, tab.incognito);
      if (incognito.get(batch.tabId) === false) await s.write(batch);
    }
  };
  const flush = () => {
    timer = null;
    write(recorder.take(visitOf)).catch((error: unknown) => onError('request-rows', error));
  };
  const schedule = () => {
    timer ??= setTimeout(flush, FLUSH_MS);
  };

  return {
    observe(event) {
      recorder.observe(event, () => visitOf(event.tabId));
      schedule();
    },
    forget(tabId) {
      recorder.forget(tabId, visitOf(tabId));
      schedule();
      // Kept until the closed tab's last batch is written.
      setTimeout(() => incognito.delete(tabId), 4 * FLUSH_MS);
    },
  };
}
