/**
 * The browser's own extension API object, for code the popup loads: Firefox's `browser` and, in
 * Chrome, `chrome`, whose MV3 APIs return promises as the polyfill's do
 * (https://developer.chrome.com/docs/extensions/develop/migrate#promises). The popup is the one
 * page a user waits for on every click; without webextension-polyfill its first script is ~10 KB
 * smaller and compiles sooner (docs/ARCHITECTURE.md, "Popup speed"). Typed as the polyfill's
 * `browser`, so callers read the same as everywhere else; only calls whose native form returns a
 * promise in both browsers may go through it (all of the popup's do).
 */
import type { browser as PolyfilledBrowser } from 'wxt/browser';

type ExtensionApi = typeof PolyfilledBrowser;

const scope = globalThis as { browser?: ExtensionApi; chrome?: ExtensionApi };

export const extensionApi: ExtensionApi = (scope.browser ?? scope.chrome)!;
