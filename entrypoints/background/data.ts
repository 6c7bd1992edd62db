/**
 * Loads the shipped data assets (public/data/, built from npm packages by scripts/build-data.ts)
 * and builds the classifier. A missing or corrupt asset is reported and leaves that part
 * "unknown": the tally and the overlay keep working.
 */
import { browser } from 'wxt/browser';
import { type Classifier, createClassifier } from '@/lib/classify';
import { type IpCountryTable, loadIpCountryTable } from '@/lib/ip-country';
import { type TrackerIndex, loadTrackerIndex } from '@/lib/trackers';

export interface DataStatus {
  loadMs: number;
  trackers: string | null;
  ipTable: string | null;
  errors: string[];
}

async function fetchAsset(path: string): Promise<Response> {
  // Extension-internal URL: this never leaves the browser.
  const response = await fetch(browser.runtime.getURL(path as '/'));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response;
}

export async function loadClassifier(): Promise<{ classifier: Classifier; status: DataStatus }> {
  const t0 = performance.now();
  const errors: string[] = [];
  const [trackers, ipTable] = await Promise.all([
    fetchAsset('/data/trackerdb.json')
      .then(async (r) => loadTrackerIndex(await r.json()))
      .catch((e: unknown): TrackerIndex | null => {
        errors.push(`trackerdb: ${e instanceof Error ? e.message : String(e)}`);
        return null;
      }),
    fetchAsset('/data/ip-country.bin')
      .then(async (r) => loadIpCountryTable(await r.arrayBuffer()))
      .catch((e: unknown): IpCountryTable | null => {
        errors.push(`ip-country: ${e instanceof Error ? e.message : String(e)}`);
        return null;
      }),
  ]);
  const classifier = createClassifier({ trackers, ipTable });
  return {
    classifier,
    status: { loadMs: performance.now() - t0, trackers: trackers?.source ?? null, ipTable: ipTable?.source ?? null, errors },
  };
}
