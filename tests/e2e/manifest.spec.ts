/**
 * Manifest hygiene of the built extensions, key by key: only the top-level keys we mean to ship
 * (a WXT entrypoint name such as `history` or `newtab` silently adds `chrome_url_overrides`,
 * which replaces a browser page), every permission justified in docs/permissions.md, nothing that
 * opens the extension to web pages or other extensions, and an extension-page CSP with a
 * `default-src` and no remote or inline script.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';

const root = path.resolve(import.meta.dirname, '../..');
const manifest = (target: string) =>
  JSON.parse(readFileSync(path.join(root, '.output', target, 'manifest.json'), 'utf8'));
/** Permissions named in the first column of docs/permissions.md's table. */
const justified = [
  ...readFileSync(path.join(root, 'docs/permissions.md'), 'utf8').matchAll(/^\| (?:host permission )?`([^`]+)` \|/gm),
].map((m) => m[1]);

/**
 * Top-level keys we ship or plan to ship (options page, icons, minimum versions). Anything else
 * must be added here on purpose: `chrome_url_overrides`, `chrome_settings_overrides`,
 * `web_accessible_resources`, `externally_connectable`, `devtools_page`, `sandbox` … are not.
 */
const COMMON_KEYS = [
  'manifest_version',
  'name',
  'version',
  'description',
  'default_locale',
  'icons',
  'permissions',
  'background',
  'content_scripts',
  'content_security_policy',
  'options_ui',
];
const ALLOWED_KEYS: Record<string, string[]> = {
  'chrome-mv3': [...COMMON_KEYS, 'action', 'host_permissions', 'minimum_chrome_version'],
  'firefox-mv2': [...COMMON_KEYS, 'browser_action', 'browser_specific_settings'],
};

/** `directive -> sources` of a CSP string (https://www.w3.org/TR/CSP3/#parse-serialized-policy). */
function parseCsp(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name && !out.has(name.toLowerCase())) out.set(name.toLowerCase(), sources);
  }
  return out;
}

/** The extension pages' policy (MV3: `extension_pages`, which also governs the service worker; MV2: the string). */
function extensionPagesCsp(m: { content_security_policy?: string | { extension_pages?: string } }): string {
  const csp = m.content_security_policy;
  return typeof csp === 'string' ? csp : (csp?.extension_pages ?? '');
}

for (const target of ['chrome-mv3', 'firefox-mv2']) {
  test.describe(target, () => {
    test('only allow-listed top-level manifest keys', () => {
      const m = manifest(target);
      for (const key of Object.keys(m)) expect(ALLOWED_KEYS[target], `unexpected manifest key "${key}"`).toContain(key);
    });

    test('nothing opens the extension to web pages or other extensions, and no browser page is replaced', () => {
      const m = manifest(target);
      for (const key of [
        'web_accessible_resources',
        'externally_connectable',
        'chrome_url_overrides',
        'chrome_settings_overrides',
      ])
        expect(m[key], key).toBeUndefined();
      // Content scripts: http(s) top frames, the isolated world.
      for (const script of m.content_scripts) {
        expect(script.matches.sort()).toEqual(['http://*/*', 'https://*/*']);
        expect(script.all_frames ?? false).toBe(false);
        expect(script.world ?? 'ISOLATED').toBe('ISOLATED');
      }
      expect(m.background).toEqual(
        target === 'chrome-mv3' ? { service_worker: 'background.js' } : { scripts: ['background.js'] },
      );
    });

    test('every permission is justified in docs/permissions.md', () => {
      const m = manifest(target);
      const asked = [...(m.permissions ?? []), ...(m.host_permissions ?? [])].sort();
      expect(asked.length).toBeGreaterThan(0);
      expect(asked).toEqual([...new Set(asked)].filter((p) => justified.includes(p)).sort());
    });

    test('the extension pages CSP has a default-src and allows no remote, inline or eval script', () => {
      const csp = parseCsp(extensionPagesCsp(manifest(target)));
      expect(csp.has('default-src'), 'default-src').toBe(true);
      // script-src and object-src fall back to default-src (worker-src to script-src): each
      // effective list may only name the package itself.
      for (const directive of ['default-src', 'script-src', 'object-src']) {
        const sources = csp.get(directive) ?? csp.get('default-src') ?? [];
        expect(sources.length, directive).toBeGreaterThan(0);
        for (const source of sources) expect(["'self'", "'none'"], `${directive} ${source}`).toContain(source);
      }
    });
  });
}

test('firefox-mv2 declares a permanent UUID-style id, Firefox 140+ and no data collection', () => {
  const gecko = manifest('firefox-mv2').browser_specific_settings.gecko;
  // The form addons.mozilla.org assigns itself; an id under a domain we do not own is not permanent.
  expect(gecko.id).toMatch(/^\{[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\}$/);
  expect(gecko.strict_min_version).toBe('140.0');
  expect(gecko.data_collection_permissions).toEqual({ required: ['none'] });
});

test('with the extension loaded, chrome://history is the browser’s own History page', async ({ ext }) => {
  const page = await ext.context.newPage();
  await page.goto('chrome://history');
  // An override would show our page at chrome-extension://<id>/… under this address.
  expect(page.url()).toMatch(/^chrome:\/\/history\//);
  await expect(page.locator('history-app')).toBeAttached();
  expect(await page.title()).not.toContain('Datenschutz-Ampel');
});
