/**
 * Manifest hygiene of the built extensions: every permission is justified in docs/permissions.md
 * (so a new one cannot slip in unnoticed), and the extension pages' CSP allows no eval and no
 * remote code.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const manifest = (target: string) => JSON.parse(readFileSync(path.join(root, '.output', target, 'manifest.json'), 'utf8'));
/** Permissions named in the first column of docs/permissions.md's table. */
const justified = [...readFileSync(path.join(root, 'docs/permissions.md'), 'utf8').matchAll(/^\| (?:host permission )?`([^`]+)` \|/gm)].map((m) => m[1]);

for (const target of ['chrome-mv3', 'firefox-mv2']) {
  test(`${target}: every permission is justified in docs/permissions.md, and the CSP forbids eval`, () => {
    const m = manifest(target);
    const asked = [...(m.permissions ?? []), ...(m.host_permissions ?? [])].sort();
    expect(asked.length).toBeGreaterThan(0);
    expect(asked).toEqual([...new Set(asked)].filter((p) => justified.includes(p)).sort());
    const csp = JSON.stringify(m.content_security_policy ?? '');
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|https?:/);
  });
}

test('firefox-mv2 declares its id, Firefox 140+ and no data collection', () => {
  const gecko = manifest('firefox-mv2').browser_specific_settings.gecko;
  expect(gecko.strict_min_version).toBe('140.0');
  expect(gecko.data_collection_permissions).toEqual({ required: ['none'] });
});
