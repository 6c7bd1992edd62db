/**
 * Where the background's share of a page load goes (docs/ARCHITECTURE.md, "Page-load overhead"):
 * the CPU time of each kind of browser process per load, and a CPU profile of the extension's
 * service worker during the loads.
 *
 * - Browsers: one without the extension and one per build in BENCH_EXTENSION_DIRS (`;`-separated;
 *   default .output/chrome-mv3), all started alike; every round loads each page once in each
 *   browser, the order rotating per round, each load on its own fixture-server port (page-load.ts).
 * - CPU per process kind (from /proc, proc-cpu.ts): the browser process, the page's renderer, the
 *   extension's process (its service worker), the network service, the rest — from the navigation
 *   until `load` and until the load is over (as in page-load.ts). The extension's process is the
 *   renderer started with `--extension-process`.
 * - Profile (BENCH_WP_PROFILE=1, the first build only, loads after the timed ones): V8's sampling
 *   profiler on the worker target over raw CDP (Playwright cannot attach to a worker), 100 µs
 *   interval, from before the navigation until the load is over. Printed: the worker's sampled
 *   time per load (idle and GC apart), the functions with the most self time, and the most
 *   inclusive time. Build without minification to read the names.
 *
 * Environment: BENCH_WP_LOADS (default 5), BENCH_PAGELOAD_PAGES (default 'link-in-bio'),
 * BENCH_FRESH_TAB=1 (each load in a new tab, closed after it: page-load.ts `FRESH_TAB`).
 * Run: npx tsx tests/bench/worker-profile.ts
 */
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { startFixtureServer } from '../e2e/fixture-server';
import { EXTENSION_DIR, launchChromium, launchWithExtension } from './chromium';
import { ARGS, FRESH_TAB, NAVIGATION_TIMING, pageUrl, settle } from './page-load';
import { type BenchPage, PAGES as ALL_PAGES, benchSites } from './page-set';
import { median } from './stats';
import { Cdp } from './worker-load';

const LOADS = Number(process.env.BENCH_WP_LOADS ?? 5);
const WANTED = (process.env.BENCH_PAGELOAD_PAGES ?? 'link-in-bio').split(';');
/**
 * Besides the page-load bench's pages, `chaos`: the e2e chaos page (500 requests to 52 hosts over
 * ~3 s, tests/fixtures/sites/chaos.ampel-test.de), where the per-request cost outweighs the noise of
 * a loaded machine; its loads last until the page says every request has settled.
 */
const CHAOS: BenchPage = {
  name: 'chaos',
  kind: '500 requests to 52 hosts',
  scheme: 'https',
  host: 'chaos.ampel-test.de',
  pathname: '/index.html',
  small: false,
};
const PAGES: readonly BenchPage[] = [...ALL_PAGES, CHAOS].filter((p) => WANTED.includes(p.name));
const DIRS = (process.env.BENCH_EXTENSION_DIRS ?? EXTENSION_DIR).split(';').map((d) => path.resolve(d));
const KINDS = ['browser', 'page', 'extension', 'network', 'other'] as const;
type Kind = (typeof KINDS)[number];

function kindOf(cmdline: string): Kind {
  if (!cmdline.includes('--type=')) return 'browser';
  if (cmdline.includes('--type=renderer')) return cmdline.includes('--extension-process') ? 'extension' : 'page';
  if (cmdline.includes('network.mojom.NetworkService')) return 'network';
  return 'other';
}

/** pid → [kind, CPU ms] of the browser using `userDataDir`. */
function cpuByProcess(userDataDir: string): Map<number, [Kind, number]> {
  const out = new Map<number, [Kind, number]>();
  const marker = `--user-data-dir=${userDataDir}`;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (!cmd.includes(marker)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(pid), [kindOf(cmd), (Number(f[11]) + Number(f[12])) * 10]);
    } catch {
      // ended meanwhile
    }
  }
  return out;
}
function between(a: Map<number, [Kind, number]>, b: Map<number, [Kind, number]>): Record<Kind | 'all', number> {
  const r = { browser: 0, page: 0, extension: 0, network: 0, other: 0, all: 0 };
  for (const [pid, [kind, ms]] of b) {
    const d = ms - (a.get(pid)?.[1] ?? 0);
    r[kind] += d;
    r.all += d;
  }
  return r;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** V8's sampling profile of the worker of `b` over `PAGES` loads in `tab` (BENCH_WP_PROFILE). */
async function profileWorker(
  b: Awaited<ReturnType<typeof launchWithExtension>>,
  tab: Page,
  web: Awaited<ReturnType<typeof startFixtureServer>>,
): Promise<void> {
  const [port, wsPath] = readFileSync(path.join(b.userDataDir, 'DevToolsActivePort'), 'utf8').trim().split('\n');
  const cdp = await Cdp.connect(`ws://127.0.0.1:${port}${wsPath}`);
  const { targetInfos } = await cdp.send<{ targetInfos: { targetId: string; type: string; url: string }[] }>(
    'Target.getTargets',
  );
  const sw = targetInfos.find(
    (t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${b.extensionId}/`),
  );
  if (!sw) throw new Error('no worker target');
  const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', {
    targetId: sw.targetId,
    flatten: true,
  });
  await cdp.send('Profiler.enable', {}, sessionId);
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 }, sessionId);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let sampled = 0;
  const n = Number(process.env.BENCH_WP_PROFILE_LOADS ?? 5);
  for (let r = 0; r < n; r++)
    for (const page of PAGES) {
      const load = await web.load(`profiled ${page.name} ${r}`);
      await cdp.send('Profiler.start', {}, sessionId);
      await tab.goto(pageUrl(load, page), { waitUntil: 'load' });
      if (page === CHAOS) await tab.waitForSelector('body[data-done="1"]', { timeout: 30_000 });
      await tab.waitForTimeout(300);
      await tab.goto('about:blank');
      await settle(load);
      const { profile } = await cdp.send<{ profile: Profile }>('Profiler.stop', {}, sessionId);
      const byId = new Map(profile.nodes.map((nd) => [nd.id, nd]));
      const parent = new Map<number, number>();
      for (const nd of profile.nodes) for (const c of nd.children ?? []) parent.set(c, nd.id);
      const label = (nd: ProfileNode) =>
        `${nd.callFrame.functionName || '(anonymous)'} ${path.basename(nd.callFrame.url)}:${nd.callFrame.lineNumber + 1}:${nd.callFrame.columnNumber + 1}`;
      profile.samples.forEach((id, i) => {
        const w = (profile.timeDeltas[i + 1] ?? 0) / 1000;
        const nd = byId.get(id)!;
        const l = label(nd);
        self.set(l, (self.get(l) ?? 0) + w);
        if (nd.callFrame.functionName !== '(idle)' && nd.callFrame.functionName !== '(program)') sampled += w;
        const seen = new Set<string>();
        for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
          const lt = label(byId.get(at)!);
          if (seen.has(lt)) continue;
          seen.add(lt);
          total.set(lt, (total.get(lt) ?? 0) + w);
        }
      });
    }
  const per = (x: number) => (x / n).toFixed(1);
  console.log(`\nworker profile, ${n} loads of ${PAGES.map((p) => p.name).join(', ')}: ms per load`);
  console.log(`  sampled outside (idle)/(program): ${per(sampled)}`);
  const top = (m: Map<string, number>, k: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([l, t]) => `  ${per(t).padStart(7)}  ${l}`)
      .join('\n');
  console.log(`self:\n${top(self, 40)}`);
  console.log(`total:\n${top(total, 60)}`);
  cdp.close();
}

async function main() {
  const sites = benchSites();
  const web = await startFixtureServer({ sitesDir: sites.sitesDir });
  const browsers: {
    name: string;
    tab: Page;
    context: BrowserContext;
    profile: string;
    close(): Promise<void>;
    userDataDir: string;
  }[] = [];
  const plain = await launchChromium('dsa-wp-without-', ARGS);
  browsers.push({ name: 'without', tab: await plain.context.newPage(), profile: plain.userDataDir, ...plain });
  const ext: Awaited<ReturnType<typeof launchWithExtension>>[] = [];
  for (const dir of DIRS) {
    const b = await launchWithExtension('dsa-wp-with-', [...ARGS, '--remote-debugging-port=0'], { extensionDir: dir });
    await b.worker.evaluate(async () => {
      for (let i = 0; i < 200 && !(globalThis as { dsaReadyAt?: number }).dsaReadyAt; i++)
        await new Promise((r) => setTimeout(r, 25));
    });
    ext.push(b);
    browsers.push({
      name: path.relative(process.cwd(), dir) || dir,
      tab: await b.context.newPage(),
      profile: b.userDataDir,
      ...b,
    });
  }
  const la0 = os.loadavg();
  const results = new Map<string, Record<string, number>[]>();
  try {
    const loadOnce = async (b: (typeof browsers)[number], page: BenchPage, name: string) => {
      const load = await web.load(name);
      const tab = FRESH_TAB ? await b.context.newPage() : b.tab;
      const c0 = cpuByProcess(b.userDataDir);
      await tab.goto(pageUrl(load, page), { waitUntil: 'load' });
      const c1 = cpuByProcess(b.userDataDir);
      const timing = await tab.evaluate(NAVIGATION_TIMING);
      if (page === CHAOS) await tab.waitForSelector('body[data-done="1"]', { timeout: 30_000 });
      await tab.waitForTimeout(300);
      await tab.goto('about:blank');
      await settle(load);
      const c2 = cpuByProcess(b.userDataDir);
      if (FRESH_TAB) await tab.close();
      const toLoad = between(c0, c1);
      const whole = between(c0, c2);
      const row: Record<string, number> = { load: timing.loadMs, requests: load.lines().length };
      for (const k of [...KINDS, 'all'] as const) {
        row[`${k}<load`] = toLoad[k];
        row[k] = whole[k];
      }
      return row;
    };
    for (const page of PAGES) for (const b of browsers) await loadOnce(b, page, `warm ${page.name} ${b.name}`);
    for (let r = 0; r < LOADS; r++)
      for (const page of PAGES)
        for (let i = 0; i < browsers.length; i++) {
          const b = browsers[(i + r) % browsers.length]!;
          const key = `${page.name}\t${b.name}`;
          if (!results.has(key)) results.set(key, []);
          results.get(key)!.push(await loadOnce(b, page, `${key} ${r}`));
        }
    const la1 = os.loadavg();
    console.log(
      `CPU ms per load, median of ${LOADS}${FRESH_TAB ? ', each in a new tab' : ''} (whole load, until the load is over; in brackets until load); load average ${la0.map((x) => x.toFixed(2)).join(' ')} → ${la1.map((x) => x.toFixed(2)).join(' ')}`,
    );
    console.log(['page', 'browser', 'req', 'load ms', ...KINDS, 'all'].join('\t'));
    for (const [key, rows] of results) {
      const m = (k: string) => median(rows.map((x) => x[k]!));
      console.log(
        [
          key,
          m('requests'),
          m('load').toFixed(0),
          ...[...KINDS, 'all'].map((k) => `${m(k).toFixed(0)} (${m(`${k}<load`).toFixed(0)})`),
        ].join('\t'),
      );
    }

    if (process.env.BENCH_WP_PROFILE) await profileWorker(ext[0]!, browsers[1]!.tab, web);
  } finally {
    for (const b of browsers) await b.close();
    await web.close();
    sites.dispose();
  }
}

await main();
