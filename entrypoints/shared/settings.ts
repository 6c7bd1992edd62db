/**
 * The extension's stored settings, defined once for the background and every page (options page,
 * popup, history page, exports). It lives outside lib/ because it uses the browser's storage:
 * storage.local key "settings", read and watched directly (no storage wrapper: the popup loads this
 * file, and its first script is kept small, docs/ARCHITECTURE.md "Popup speed"). Retention and pause belong to the
 * history and live in its database (lib/history/schema.ts HistorySettings), where the background
 * applies them; the options page edits both.
 */
import { extensionApi as browser } from './extension-api';
import { type Lang, isLang, resolveLang } from '@/lib/i18n/ui';

export interface Settings {
  /**
   * Fetch the imprint and privacy pages a page links to, and — to tell whether a profile is run by
   * a public body — the website it links and that site's imprint (the extension's only network
   * requests, docs/security.md).
   */
  fetchLegalPages: boolean;
  /** The UI language the user chose; null: follow the browser's UI language (lib/i18n/ui.ts resolveLang). */
  language: Lang | null;
}
export const DEFAULT_SETTINGS: Settings = { fetchLegalPages: true, language: null };

/** Whatever is stored (older versions, a hand-edited profile, garbage) becomes a valid Settings. */
export function normaliseSettings(stored: unknown): Settings {
  const s = stored && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
  return {
    fetchLegalPages: typeof s.fetchLegalPages === 'boolean' ? s.fetchLegalPages : DEFAULT_SETTINGS.fetchLegalPages,
    language: isLang(s.language) ? s.language : DEFAULT_SETTINGS.language,
  };
}

const SETTINGS_KEY = 'settings';

// Unknown: the stored value is not trusted to have the shape (normaliseSettings decides).
// Nothing stored reads as {} (every default); a save writes only the keys ever chosen.
async function readStored(): Promise<unknown> {
  return (await browser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY] ?? {};
}

export async function loadSettings(): Promise<Settings> {
  try {
    return normaliseSettings(await readStored());
  } catch {
    return DEFAULT_SETTINGS;
  }
}

/** Changes one setting, keeping any other keys stored beside it. */
export async function saveSetting<K extends keyof Settings>(key: K, value: Settings[K]): Promise<void> {
  const current = await readStored();
  const kept = current && typeof current === 'object' && !Array.isArray(current) ? current : {};
  await browser.storage.local.set({ [SETTINGS_KEY]: { ...kept, [key]: value } });
}

/** Calls back with the normalised settings whenever they change; returns the unsubscribe function. */
export function watchSettings(onChange: (settings: Settings) => void): () => void {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'local' && SETTINGS_KEY in changes) onChange(normaliseSettings(changes[SETTINGS_KEY]?.newValue));
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}

/**
 * The settings as a long-lived context (the background) follows them: the current value, the
 * first load, and the UI language — the stored choice, else the browser's (lib/i18n/ui.ts resolveLang).
 */
export function followSettings(onLanguageChanged: () => void): {
  current: () => Settings;
  loaded: Promise<Settings>;
  lang: () => Lang;
} {
  let settings = DEFAULT_SETTINGS;
  const browserLanguage = browser.i18n.getUILanguage();
  const loaded = loadSettings().then((s) => (settings = s));
  watchSettings((s) => {
    const languageChanged = s.language !== settings.language;
    settings = s;
    if (languageChanged) onLanguageChanged();
  });
  return { current: () => settings, loaded, lang: () => resolveLang(settings.language, browserLanguage) };
}
