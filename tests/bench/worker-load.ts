/**
 * Data load time and heap of the real MV3 worker, measured in Debian's headless Chromium with
 * the built extension (.output/chrome-mv3). Node numbers would flatter: the worker fetches its
 * assets through the extension's URL loader and parses them on a busy browser main loop.
 *
 * Method:
 * - The worker records, per asset, the time from the start of the fetch to a usable index
 *   (`dataStatus` in storage.session, entrypoints/background/data.ts).
 * - We stop the worker over CDP and wake it with a navigation (a webRequest event), RUNS times,
 *   and take the median and max of those wake-up loads. The very first start (browser start-up
 *   competes for the two cores) is reported separately.
 * - Heap: raw CDP over a WebSocket (Playwright cannot talk to a worker target), attached to the
 *   service worker with flattened sessions: HeapProfiler.collectGarbage, then
 *   Runtime.getHeapUsage (used JS heap + ArrayBuffer backing stores where Chromium reports them).
 *   Baseline: the same worker's heap with the data dropped is not observable from outside, so we
 *   report the absolute figure, which includes the tally, tldts and the code.
 *
 * Run alone: npx tsx tests/bench/worker-load.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { browserBenchSkipReason, launchWithExtension } from './chromium';

export interface WorkerLoadResult {
  runs: number;
  firstStart: { trackersMs: number; ipTableMs: number };
  wake: {
    trackersMedianMs: number;
    trackersMaxMs: number;
    ipTableMedianMs: number;
    ipTableMaxMs: number;
    /** From the worker script's start until the tracker index is usable (the tally's critical path). */
    trackersReadyMedianMs: number;
    trackersPhasesMedianMs: { fetch: number; body: number; build: number };
    ipTablePhasesMedianMs: { fetch: number; body: number; build: number };
  };
  heap: { usedMB: number; backingStoreMB: number | null; totalMB: number };
}

interface AssetStatus {
  readyAtMs: number;
  loadMs: number;
  fetchMs: number;
  bodyMs: number;
  buildMs: number;
  error: string | null;
}
type DataStatus = { trackers?: AssetStatus; ipTable?: AssetStatus };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Minimal CDP client over the browser's WebSocket endpoint (Node 22 has WebSocket built in). */
export class Cdp {
  private id = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private constructor(private readonly ws: WebSocket) {
    ws.addEventListener('message', (ev) => {
      const msg = JSON.parse(String(ev.data)) as { id?: number; result?: unknown; error?: { message: string } };
      if (msg.id === undefined) return;
      const w = this.waiting.get(msg.id);
      if (!w) return;
      this.waiting.delete(msg.id);
      if (msg.error) w.reject(new Error(msg.error.message));
      else w.resolve(msg.result);
    });
  }
  static async connect(url: string): Promise<Cdp> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve(), { once: true });
      ws.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), { once: true });
    });
    return new Cdp(ws);
  }
  send<T>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = ++this.id;
    this.ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return new Promise<T>((resolve, reject) =>
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject }),
    );
  }
  close(): void {
    this.ws.close();
  }
}

export async function measureWorkerLoad(runs = 7): Promise<WorkerLoadResult | { skipped: string }> {
  const skip = browserBenchSkipReason();
  if (skip) return { skipped: skip };

  // A tiny loopback page to navigate to: the navigation's webRequest events wake the worker.
  const server = createServer((_req, res) => res.end('<!doctype html><title>wake</title>'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const browser = await launchWithExtension('dsa-bench-', ['--remote-debugging-port=0']);
  const { context, userDataDir } = browser;
  let cdp: Cdp | null = null;
  try {
    const firstWorker = browser.worker;
    // new URL(...).origin is "null" for chrome-extension: URLs (not a special scheme).
    const extensionOrigin = `chrome-extension://${new URL(firstWorker.url()).host}/`;
    const readStatus = async (): Promise<DataStatus> => {
      for (let i = 0; i < 200; i++) {
        const worker = context.serviceWorkers().find((w) => w.url().startsWith(extensionOrigin));
        const status = worker
          ? await worker
              .evaluate(
                async () =>
                  ((await chrome.storage.session.get('dataStatus')) as { dataStatus?: DataStatus }).dataStatus ?? {},
              )
              .catch(() => ({}) as DataStatus)
          : {};
        if (status.trackers && status.ipTable) return status;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('the worker never reported its data status');
    };
    const first = await readStatus();

    // DevToolsActivePort in the profile names the browser's CDP port.
    const { readFileSync } = await import('node:fs');
    const [cdpPort, wsPath] = readFileSync(path.join(userDataDir, 'DevToolsActivePort'), 'utf8').trim().split('\n');
    cdp = await Cdp.connect(`ws://127.0.0.1:${cdpPort}${wsPath}`);
    const page = context.pages()[0] ?? (await context.newPage());

    const wake: DataStatus[] = [];
    for (let i = 0; i < runs; i++) {
      await page.evaluate(() => chrome?.storage?.session?.remove?.('dataStatus')).catch(() => undefined);
      const worker = context.serviceWorkers().find((w) => w.url().startsWith(extensionOrigin));
      await worker?.evaluate(() => chrome.storage.session.remove('dataStatus'));
      const { targetInfos } = await cdp.send<{ targetInfos: { targetId: string; type: string; url: string }[] }>(
        'Target.getTargets',
      );
      const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(extensionOrigin));
      if (sw) {
        const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', {
          targetId: sw.targetId,
          flatten: true,
        });
        // Closing the worker's target terminates it, like Chrome's idle stop.
        await cdp.send('Runtime.evaluate', { expression: 'close()' }, sessionId).catch(() => undefined);
        await cdp.send('Target.closeTarget', { targetId: sw.targetId }).catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 300));
      await page.goto(`http://127.0.0.1:${port}/?run=${i}`);
      wake.push(await readStatus());
    }

    // Heap of the worker with everything loaded.
    const { targetInfos } = await cdp.send<{ targetInfos: { targetId: string; type: string; url: string }[] }>(
      'Target.getTargets',
    );
    const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(extensionOrigin));
    if (!sw) throw new Error('no worker target for the heap measurement');
    const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', {
      targetId: sw.targetId,
      flatten: true,
    });
    await cdp.send('HeapProfiler.enable', {}, sessionId);
    await cdp.send('HeapProfiler.collectGarbage', {}, sessionId);
    const usage = await cdp.send<{ usedSize: number; totalSize: number; backingStorageSize?: number }>(
      'Runtime.getHeapUsage',
      {},
      sessionId,
    );
    const mb = (b: number) => Math.round((b / 1024 / 1024) * 100) / 100;

    const t = wake.map((s) => s.trackers!.loadMs);
    const ip = wake.map((s) => s.ipTable!.loadMs);
    return {
      runs,
      firstStart: { trackersMs: first.trackers!.loadMs, ipTableMs: first.ipTable!.loadMs },
      wake: {
        trackersMedianMs: median(t),
        trackersMaxMs: Math.max(...t),
        ipTableMedianMs: median(ip),
        ipTableMaxMs: Math.max(...ip),
        trackersReadyMedianMs: median(wake.map((s) => s.trackers!.readyAtMs)),
        trackersPhasesMedianMs: {
          fetch: median(wake.map((s) => s.trackers!.fetchMs)),
          body: median(wake.map((s) => s.trackers!.bodyMs)),
          build: median(wake.map((s) => s.trackers!.buildMs)),
        },
        ipTablePhasesMedianMs: {
          fetch: median(wake.map((s) => s.ipTable!.fetchMs)),
          body: median(wake.map((s) => s.ipTable!.bodyMs)),
          build: median(wake.map((s) => s.ipTable!.buildMs)),
        },
      },
      heap: {
        usedMB: mb(usage.usedSize),
        backingStoreMB: usage.backingStorageSize === undefined ? null : mb(usage.backingStorageSize),
        totalMB: mb(usage.usedSize + (usage.backingStorageSize ?? 0)),
      },
    };
  } finally {
    cdp?.close();
    await browser.close();
    server.close();
  }
}

declare const chrome: {
  storage: { session: { get(k: string): Promise<Record<string, unknown>>; remove(k: string): Promise<void> } };
};

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  console.log(JSON.stringify(await measureWorkerLoad(), null, 2));
}
