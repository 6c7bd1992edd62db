import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { buildDataAssets } from './scripts/build-data';

// See docs/permissions.md for why each permission is needed; tests/e2e/manifest.spec.ts
// fails when the built manifest asks for anything not justified there.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()] }),
  // public/data/ (tracker owners, IP countries) is generated from pinned npm packages, never committed.
  hooks: { 'build:before': () => void buildDataAssets() },
  manifest: ({ browser }) => ({
    name: 'Datenschutz-Ampel',
    description: '__MSG_extDescription__',
    default_locale: 'de',
    permissions: ['webRequest', 'webNavigation', 'cookies', 'storage', 'scripting'],
    host_permissions: ['<all_urls>'],
    action: { default_title: 'Datenschutz-Ampel' },
    content_security_policy:
      browser === 'firefox'
        ? "script-src 'self'; object-src 'self'"
        : { extension_pages: "script-src 'self'; object-src 'self'" },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'datenschutz-ampel@example.org',
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['none'] },
            },
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
