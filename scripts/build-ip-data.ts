// Builds public/data/ip-country.bin (format: lib/parties/ip-country.ts) from the CSVs of
// @ip-location-db/geo-whois-asn-country. Run: npx tsx scripts/build-ip-data.ts
//
// Data licence: CC BY 4.0 by the Number Resource Organization (NRO), https://www.nro.net/
// (the npm package.json says CC0-1.0, but its README and NRO_LICENSE require NRO attribution).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIpCountryData } from './ip-data-encoder';

export const IP_DATA_PACKAGE = '@ip-location-db/geo-whois-asn-country';

/** Directory, version and CSV texts of the installed data package. */
export function readIpDataPackage(): { dir: string; version: string; ipv4: string; ipv6: string } {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve(`${IP_DATA_PACKAGE}/package.json`);
  const dir = dirname(pkgJson);
  const { version } = JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string };
  return {
    dir,
    version,
    ipv4: readFileSync(join(dir, 'geo-whois-asn-country-ipv4.csv'), 'utf8'),
    ipv6: readFileSync(join(dir, 'geo-whois-asn-country-ipv6.csv'), 'utf8'),
  };
}

function main(): void {
  const t0 = performance.now();
  const pkg = readIpDataPackage();
  const bytes = buildIpCountryData(pkg.ipv4, pkg.ipv6, `geo-whois-asn-country@${pkg.version}`);
  const outFile = fileURLToPath(new URL('../public/data/ip-country.bin', import.meta.url));
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, bytes);
  const ms = performance.now() - t0;
  console.log(
    `wrote ${outFile}: ${bytes.length} bytes (${(bytes.length / 1024 / 1024).toFixed(2)} MiB) in ${ms.toFixed(0)} ms ` +
      `from ${IP_DATA_PACKAGE}@${pkg.version} (CC BY 4.0, NRO)`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
