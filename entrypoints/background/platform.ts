/**
 * The few browser APIs the background needs, behind the small interfaces lib/ expects.
 */
import { browser } from 'wxt/browser';
import type { SessionStore } from '@/lib/tally/hub';

export const sessionStore: SessionStore = {
  get: (keys) => browser.storage.session.get(keys),
  set: (items) => browser.storage.session.set(items),
  remove: (keys) => browser.storage.session.remove(keys),
};

/** MV3 `action` in Chrome, MV2 `browserAction` in the Firefox build. */
export function actionApi(): typeof browser.action {
  return (browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction);
}

const DIAGNOSTICS_KEY = 'diagnostics';
let diagnostics: { errors: number; last: string[] } = { errors: 0, last: [] };

/**
 * Errors are counted and the last few kept in storage.session (visible to tests and to a
 * developer in the worker console), never sent anywhere.
 */
export function recordDiagnostic(where: string, error: unknown): void {
  const text = `${new Date().toISOString()} ${where}: ${error instanceof Error ? error.message : String(error)}`;
  console.warn('[Datenschutz-Ampel]', text);
  diagnostics = { errors: diagnostics.errors + 1, last: [...diagnostics.last.slice(-9), text] };
  void browser.storage.session.set({ [DIAGNOSTICS_KEY]: diagnostics }).catch(() => undefined);
}
