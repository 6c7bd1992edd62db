// Builds the data assets the extension ships (public/data/, not committed) from pinned npm
// packages: the tracker owners (@ghostery/trackerdb) and the IP -> network country table
// (@ip-location-db/geo-whois-asn-country), and the consent-banner rules of @duckduckgo/autoconsent
// (its compact-rules.json, re-serialised without whitespace). Called by the WXT `build:before` hook (wxt.config.ts),
// so every `wxt build` / `wxt` dev run has current data; also runnable alone:
//   npx tsx scripts/build-data.ts [--force]
// A stamp file (node_modules/.cache/datenschutz-ampel/) records the package versions and encoder sources; when nothing changed, the
// (1-2 s) rebuild is skipped. Output is deterministic: same inputs, same bytes.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IP_DATA_PACKAGE, readIpDataPackage } from './build-ip-data';
import { buildIpCountryData } from './ip-data-encoder';
import { encodeTrackerDb } from './trackerdb-encoder';
import { IP_COUNTRY_ATTRIBUTION } from '../lib/parties/ip-country';
import { TRACKERDB_ATTRIBUTION } from '../lib/parties/trackers';
import type { DataSource } from '../lib/parties/data-sources';

function rulesVersion(): string {
  const rules = JSON.parse(readFileSync(join(root, 'lib', 'legal', 'rules.json'), 'utf8')) as {
    meta?: { version?: string };
  };
  return rules.meta?.version ?? 'unknown';
}

export const TRACKERDB_PACKAGE = '@ghostery/trackerdb';
export const AUTOCONSENT_PACKAGE = '@duckduckgo/autoconsent';
const root = fileURLToPath(new URL('..', import.meta.url));
export const DATA_DIR = join(root, 'public', 'data');

/** Directory of an installed package, found the way Node would (its `exports` may hide package.json). */
function packageDir(name: string): string {
  const require = createRequire(import.meta.url);
  for (const base of require.resolve.paths(name) ?? []) {
    const dir = join(base, name);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error(`${name} is not installed: run npm ci`);
}

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Reads trackerdb.json of the installed package. The package's `exports` hides dist/, so go via its directory. */
export function readTrackerDbPackage(): { version: string; json: unknown } {
  const file = join(packageDir(TRACKERDB_PACKAGE), 'dist', 'trackerdb.json');
  return { version: packageVersion(TRACKERDB_PACKAGE), json: JSON.parse(readFileSync(file, 'utf8')) };
}

function inputsFingerprint(): string {
  const h = createHash('sha256');
  h.update(`${TRACKERDB_PACKAGE}@${packageVersion(TRACKERDB_PACKAGE)}\n`);
  h.update(`${IP_DATA_PACKAGE}@${packageVersion(IP_DATA_PACKAGE)}\n`);
  h.update(`${AUTOCONSENT_PACKAGE}@${packageVersion(AUTOCONSENT_PACKAGE)}\n`);
  for (const f of [
    'scripts/build-data.ts',
    'lib/legal/rules.json',
    'scripts/trackerdb-encoder.ts',
    'lib/parties/ownership-corrections.ts',
    'scripts/ip-data-encoder.ts',
    'lib/parties/trackers.ts',
    'lib/parties/ip-country.ts',
  ])
    h.update(readFileSync(join(root, f)));
  return h.digest('hex');
}

export interface DataBuildResult {
  skipped: boolean;
  files: { path: string; bytes: number }[];
  ms: number;
}

export function buildDataAssets({
  force = false,
  log = console.log,
}: {
  force?: boolean;
  log?: (s: string) => void;
} = {}): DataBuildResult {
  const t0 = performance.now();
  const stampFile = join(root, 'node_modules', '.cache', 'datenschutz-ampel', 'data-stamp.txt');
  const trackerFile = join(DATA_DIR, 'trackerdb.json');
  const ipFile = join(DATA_DIR, 'ip-country.bin');
  const sourcesFile = join(DATA_DIR, 'sources.json');
  const consentFile = join(DATA_DIR, 'consent-rules.json');
  const fingerprint = inputsFingerprint();
  if (
    !force &&
    existsSync(trackerFile) &&
    existsSync(ipFile) &&
    existsSync(sourcesFile) &&
    existsSync(consentFile) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, 'utf8').trim() === fingerprint
  ) {
    return { skipped: true, files: [], ms: performance.now() - t0 };
  }
  mkdirSync(DATA_DIR, { recursive: true });

  const tdb = readTrackerDbPackage();
  const trackerJson = JSON.stringify(encodeTrackerDb(tdb.json as never, `${TRACKERDB_PACKAGE}@${tdb.version}`));
  writeFileSync(trackerFile, trackerJson);

  const ip = readIpDataPackage();
  const ipBytes = buildIpCountryData(ip.ipv4, ip.ipv6, `geo-whois-asn-country@${ip.version}`);
  writeFileSync(ipFile, ipBytes);

  // Loaded by the background only when a page asks (entrypoints/background/consent.ts); the
  // content script gets just the rules that apply to its URL (filterCompactRules).
  const consentVersion = packageVersion(AUTOCONSENT_PACKAGE);
  const consentJson = JSON.stringify(
    JSON.parse(readFileSync(join(packageDir(AUTOCONSENT_PACKAGE), 'rules', 'compact-rules.json'), 'utf8')),
  );
  writeFileSync(consentFile, consentJson);

  // What the About page shows: each shipped data source, its version and licence.
  const sources: DataSource[] = [
    {
      id: 'trackerdb',
      package: TRACKERDB_PACKAGE,
      version: tdb.version,
      licence: 'CC BY-NC-SA 4.0',
      attribution: TRACKERDB_ATTRIBUTION,
      file: 'data/trackerdb.json',
    },
    {
      id: 'ip-country',
      package: IP_DATA_PACKAGE,
      version: ip.version,
      licence: 'CC BY 4.0 (NRO data; the npm package.json says CC0-1.0)',
      attribution: IP_COUNTRY_ATTRIBUTION,
      file: 'data/ip-country.bin',
    },
    {
      id: 'consent-rules',
      package: AUTOCONSENT_PACKAGE,
      version: consentVersion,
      licence: 'MPL-2.0',
      attribution:
        'Consent-banner (CMP) detection rules and library by DuckDuckGo, https://github.com/duckduckgo/autoconsent',
      file: 'data/consent-rules.json',
    },
    {
      id: 'rules',
      package: 'lib/legal/rules.json (Datenschutz-Ampel legal research)',
      version: rulesVersion(),
      licence: 'MPL-2.0 (this project); sources listed in the file',
      attribution: 'Legal rules, services and link-in-bio hosts researched for this project; see docs/legal/SPEC.md.',
      file: null,
    },
  ];
  writeFileSync(sourcesFile, `${JSON.stringify(sources, null, 2)}\n`);

  mkdirSync(dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, `${fingerprint}\n`);
  const result = {
    skipped: false,
    files: [
      { path: trackerFile, bytes: Buffer.byteLength(trackerJson) },
      { path: ipFile, bytes: ipBytes.length },
      { path: consentFile, bytes: Buffer.byteLength(consentJson) },
    ],
    ms: performance.now() - t0,
  };
  log(
    `data assets: ${result.files.map((f) => `${f.path.slice(root.length)} ${(f.bytes / 1024).toFixed(0)} KiB`).join(', ')} in ${result.ms.toFixed(0)} ms`,
  );
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildDataAssets({ force: process.argv.includes('--force') });
}
