import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { buildDataAssets } from './scripts/build-data';
import { buildIcons } from './scripts/build-icons';
import { APP_ICON_SIZES, actionIconPaths, iconPath } from './lib/toolbar/icon';
import { COMPLAINT_CSS } from './lib/export/html';

/**
 * CSP of the extension pages (popup, sites, about) and, in Chrome MV3, of the service worker too
 * (https://developer.chrome.com/docs/extensions/reference/manifest/content-security-policy);
 * in Firefox MV2 of the background page and the extension pages. Everything comes from the
 * package ('self'); the only exceptions are what the code really does: the background fetches
 * imprint and privacy pages over http(s) (connect-src; 'self' for its own data/*.json), and the
 * export panel shows the popup's screenshot as a data: URL (img-src). Preact sets styles through
 * CSSOM (`element.style`), which style-src does not govern, so no 'unsafe-inline' is needed. The
 * one inline stylesheet is the complaint's (lib/export/html.ts) in the "Save as PDF" print view: a
 * srcdoc frame inherits this policy (https://html.spec.whatwg.org/multipage/browsers.html#policy-containers),
 * so style-src allows exactly that stylesheet by its SHA-256
 * (https://www.w3.org/TR/CSP3/#grammardef-hash-source).
 * tests/e2e/manifest.spec.ts checks the built policy; tests/e2e/csp.spec.ts that the pages run,
 * tests/e2e/evidence.spec.ts that the print view is styled.
 */
const COMPLAINT_STYLE_HASH = `'sha256-${createHash('sha256').update(COMPLAINT_CSS, 'utf8').digest('base64')}'`;
const EXTENSION_PAGES_CSP = `default-src 'self'; script-src 'self'; object-src 'self'; style-src 'self' ${COMPLAINT_STYLE_HASH}; connect-src 'self' http: https:; img-src 'self' data:`;

/**
 * The Firefox add-on id: permanent once uploaded to addons.mozilla.org (it names the add-on's
 * data and its updates), so generated once as a UUID in braces, the form AMO itself assigns
 * (https://extensionworkshop.com/documentation/develop/extensions-and-the-add-on-id/). Tests and
 * the Firefox driver read it from the built manifest.
 */
const GECKO_ID = '{2b5c3582-baed-4939-96a0-4209b62999d1}';

/**
 * The oldest Chrome that has every API the extension uses; the newest of them decides
 * (docs/permissions.md, "Minimum browser versions": cookie `partitionKey`, Chrome 119).
 */
const MINIMUM_CHROME_VERSION = '119';

// See docs/permissions.md for why each permission is needed; tests/e2e/manifest.spec.ts
// fails when the built manifest asks for anything not justified there.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({
    plugins: [preact()],
    // WXT's content-script context announces each script's start to the page; ours is silent
    // (shell/content-script-context.ts says why).
    resolve: {
      alias: [
        {
          find: /^wxt\/utils\/content-script-context$/,
          replacement: fileURLToPath(new URL('./shell/content-script-context.ts', import.meta.url)),
        },
      ],
    },
  }),
  // `npm run zip`: the Chrome and Firefox packages, and for Firefox's reviewers the sources they
  // rebuild from (https://extensionworkshop.com/documentation/publish/source-code-submission/):
  // everything but what the build generates (public/data/, public/icon/) or tests and tools write.
  zip: {
    excludeSources: [
      'tests/**',
      'public/data/**',
      'public/icon/**',
      'demo-output/**',
      'eval-output/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  // public/data/ (tracker owners, IP countries) is generated from pinned npm packages, never committed.
  // public/icon/ is drawn from lib/toolbar/icon.ts the same way (scripts/build-icons.ts).
  hooks: {
    'build:before': () => {
      buildIcons();
      void buildDataAssets();
    },
    // WXT takes the toolbar title from the popup's <title> (and in the MV2 build writes its own
    // browser_action): title from _locales, icon with every lamp dark until a page is judged.
    'build:manifestGenerated': (_wxt, manifest) => {
      for (const action of [manifest.action, manifest.browser_action]) {
        if (!action) continue;
        action.default_title = '__MSG_actionTitle__';
        action.default_icon = actionIconPaths('unknown');
      }
    },
  },
  manifest: ({ browser }) => ({
    // Name, description and toolbar title from public/_locales/. English is the default, as in the
    // UI (lib/i18n/ui.ts pickLang): a browser in any other language gets English everywhere.
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    icons: Object.fromEntries(APP_ICON_SIZES.map((size) => [String(size), iconPath('all', size)])),
    permissions: ['webRequest', 'webNavigation', 'cookies', 'storage', 'scripting'],
    host_permissions: ['<all_urls>'],
    ...(browser === 'firefox' ? {} : { minimum_chrome_version: MINIMUM_CHROME_VERSION }),
    content_security_policy: browser === 'firefox' ? EXTENSION_PAGES_CSP : { extension_pages: EXTENSION_PAGES_CSP },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: GECKO_ID,
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['none'] },
            },
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
