// THIRD_PARTY_NOTICES.md must name every data package with the exact version installed, so a
// dependency bump cannot leave the attribution behind.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url);
const notices = readFileSync(new URL('THIRD_PARTY_NOTICES.md', root), 'utf8');
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, { version: string }>;
};
const installed = (name: string) => lock.packages[`node_modules/${name}`]?.version;

describe('THIRD_PARTY_NOTICES.md', () => {
  it.each([
    ['@ghostery/trackerdb', 'CC BY-NC-SA 4.0'],
    ['@ip-location-db/geo-whois-asn-country', 'CC BY 4.0'],
    ['tldts', 'MIT'],
    ['preact', 'MIT'],
    ['idb', 'ISC'],
    ['webextension-polyfill', 'MPL-2.0'],
    ['valibot', 'MIT'],
    ['@duckduckgo/autoconsent', 'MPL-2.0'],
  ])('lists %s at its installed version with its licence', (name, licence) => {
    const version = installed(name);
    expect(version, `${name} in package-lock.json`).toBeTruthy();
    const line = notices.split('\n').find((l) => l.includes(name) && l.includes(version!));
    expect(line, `a line naming ${name} ${version}`).toBeTruthy();
    expect(line).toContain(licence);
  });
});
