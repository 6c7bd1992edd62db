// The real shipped data, built in-process from the pinned packages exactly as the build does
// (scripts/build-data.ts), so unit tests never depend on a previous `wxt build`.
import { readIpDataPackage } from '../../../scripts/build-ip-data';
import { readTrackerDbPackage } from '../../../scripts/build-data';
import { buildIpCountryData } from '../../../scripts/ip-data-encoder';
import { encodeTrackerDb } from '../../../scripts/trackerdb-encoder';
import { type IpCountryTable, loadIpCountryTable } from '@/lib/parties/ip-country';
import type { TrackerData } from '@/lib/parties/trackers';

let trackerData: TrackerData | undefined;
let ipTable: IpCountryTable | undefined;

export function realTrackerData(): TrackerData {
  if (!trackerData) {
    const pkg = readTrackerDbPackage();
    // Round-trip through JSON like the asset the extension fetches.
    trackerData = JSON.parse(
      JSON.stringify(encodeTrackerDb(pkg.json as never, `@ghostery/trackerdb@${pkg.version}`)),
    ) as TrackerData;
  }
  return trackerData;
}

export function realIpTable(): IpCountryTable {
  if (!ipTable) {
    const pkg = readIpDataPackage();
    const bytes = buildIpCountryData(pkg.ipv4, pkg.ipv6, `test@${pkg.version}`);
    ipTable = loadIpCountryTable(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    );
  }
  return ipTable;
}
