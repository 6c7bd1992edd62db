/**
 * Manifest hygiene of the built extensions, key by key: only the top-level keys we mean to ship
 * (a WXT entrypoint name such as `history` or `newtab` silently adds `chrome_url_overrides`,
 * which replaces a browser page), every permission justified in docs/permissions.md, nothing that
 * opens the extension to web pages or other extensions, and an extension-page CSP with a
 * `default-src` and no remote or inline script.
 */
import { execFileSync } from 'node:child_process';
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
      // Images: the package and the export screenshot (a data: URL). No blob: — nothing shows an
      // object URL as an image (downloads navigate to one, which img-src does not govern), and
      // no remote images. Connections: the worker's legal-page fetches (http/https) and its own data.
      expect(csp.get('img-src')).toEqual(["'self'", 'data:']);
      expect(csp.get('connect-src')).toEqual(["'self'", 'http:', 'https:']);
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

/** PNG width and height from the IHDR chunk (https://www.w3.org/TR/png-3/#11IHDR). */
function pngSize(file: string): [number, number] {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString('latin1'), file).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

for (const target of ['chrome-mv3', 'firefox-mv2']) {
  test(`${target}: store metadata — icons 16/32/48/96/128, name, description and title from _locales`, () => {
    const m = manifest(target);
    const dir = path.join(root, '.output', target);
    expect(Object.keys(m.icons).sort((a, b) => Number(a) - Number(b))).toEqual(['16', '32', '48', '96', '128']);
    for (const [size, file] of Object.entries<string>(m.icons))
      expect(pngSize(path.join(dir, file)), file).toEqual([Number(size), Number(size)]);
    const action = m.action ?? m.browser_action;
    for (const [size, file] of Object.entries<string>(action.default_icon))
      expect(pngSize(path.join(dir, file)), file).toEqual([Number(size), Number(size)]);
    // English is the default, as in the UI; German and English carry every message the manifest names.
    expect(m.default_locale).toBe('en');
    const keys = [m.name, m.description, action.default_title].map((v: string) => /^__MSG_(\w+)__$/.exec(v)?.[1]);
    expect(keys).toEqual(['extName', 'extDescription', 'actionTitle']);
    for (const lang of ['de', 'en']) {
      const messages = JSON.parse(readFileSync(path.join(dir, '_locales', lang, 'messages.json'), 'utf8'));
      for (const key of keys) expect(messages[key!]?.message, `${lang} ${key}`).toBeTruthy();
    }
    expect(m.options_ui).toEqual({ page: 'options.html', open_in_tab: true });
  });
}

test('minimum_chrome_version is the newest Chrome an API in docs/permissions.md needs', () => {
  const doc = readFileSync(path.join(root, 'docs/permissions.md'), 'utf8');
  const table = doc.slice(doc.indexOf('## Minimum browser versions'));
  const versions = [...table.matchAll(/^\| API .*\| (\d+) \|$/gm)].map((x) => Number(x[1]));
  expect(versions.length).toBeGreaterThan(5);
  expect(manifest('chrome-mv3').minimum_chrome_version).toBe(String(Math.max(...versions)));
  expect(manifest('firefox-mv2').minimum_chrome_version).toBeUndefined();
});

test('npm run zip wrote the Chrome and Firefox packages and the sources Firefox reviewers rebuild from', () => {
  const { name, version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const list = (zip: string) =>
    execFileSync('unzip', ['-Z1', path.join(root, '.output', zip)], { encoding: 'utf8' })
      .trim()
      .split('\n');
  for (const browser of ['chrome', 'firefox']) {
    const files = list(`${name}-${version}-${browser}.zip`);
    expect(files).toContain('manifest.json');
    expect(files).toContain('icon/96.png');
  }
  const sources = list(`${name}-${version}-sources.zip`);
  for (const f of ['package.json', 'package-lock.json', 'wxt.config.ts', 'lib/toolbar/icon.ts', 'PRIVACY.md'])
    expect(sources, f).toContain(f);
  // Generated by the build, not sources; no dependencies, no test output.
  expect(sources.filter((f) => /^(node_modules|\.output|public\/data|public\/icon|test-results)\//.test(f))).toEqual(
    [],
  );
});

test('with the extension loaded, chrome://history is the browser’s own History page', async ({ ext }) => {
  const page = await ext.context.newPage();
  await page.goto('chrome://history');
  // An override would show our page at chrome-extension://<id>/… under this address.
  expect(page.url()).toMatch(/^chrome:\/\/history\//);
  await expect(page.locator('history-app')).toBeAttached();
  expect(await page.title()).not.toContain('Datenschutz-Ampel');
});
