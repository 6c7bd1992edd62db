#!/usr/bin/env -S npx tsx
/**
 * The audit CLI: each URL in a fresh headless Chromium (or, with --browser firefox, Firefox)
 * profile with the built extension; the
 * extension's own report is fetched from an extension page, written as JSON and rendered as a
 * complaint summary with the shared renderer (lib/export/). Usage: lib/cli/audit-args.ts USAGE, docs/audit.md.
 *
 *   npx tsx scripts/audit.ts --out audit/ https://www.example.org/
 *
 * Pure parts (arguments, slugs, table, exit code) live in lib/cli/audit-args.ts; this file does the I/O.
 * Browser facts behind the flags: ../shared/notes/browser-testing.md.
 */
import { closeFirstRunPages } from './first-run';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Worker } from '@playwright/test';
import type { Browser } from 'wxt/browser';
import {
  type AuditOptions,
  type AuditResult,
  type BrowserName,
  EXIT,
  NO_CHROMIUM_HELP,
  USAGE,
  UsageError,
  buildIsStale,
  chromiumCandidates,
  complaintSiteOf,
  exitCodeFor,
  forceResolveOf,
  formatTable,
  normaliseUrl,
  parseArgs,
  parseUrlList,
  progressBar,
  progressLine,
  uniqueSlugs,
} from '../lib/cli/audit-args';
import type { ComplaintInput } from '../lib/export/complaint/model';
import type { HarRow } from '../lib/export/har';
import { type ExportFile, finishExport, prepareExport } from '../lib/export/package';
import type { BackgroundResponse } from '../lib/messages';
import type { Report } from '../lib/verdict/report';
import type { ConsentFlag } from '../lib/cli/consent-answer';
import { auditConsent } from './audit-consent';
import { PdfPrinter, type RequestCollector, auditHar, collectRequests } from './audit-evidence';
import { NO_FIREFOX_HELP, backgroundReady, extensionPage, findFirefox, launchFirefox } from './firefox-driver';

// Code passed to evaluate() runs in the extension's worker or pages, where `chrome` exists.
declare const chrome: typeof Browser;

export const ROOT = path.resolve(import.meta.dirname, '..');
export const EXTENSION_DIR = path.join(ROOT, '.output/chrome-mv3');
export const FIREFOX_EXTENSION_DIR = path.join(ROOT, '.output/firefox-mv2');
const SOURCES = ['entrypoints', 'components', 'lib', 'public', 'wxt.config.ts'];

const log = (line: string) => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------
// Build and browser discovery

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** Builds the extension (npx wxt build [-b firefox]) when the manifest is missing or older than a source. */
export function ensureBuilt(root = ROOT, browser: BrowserName = 'chromium'): void {
  const manifest = path.join(
    root,
    browser === 'firefox' ? '.output/firefox-mv2/manifest.json' : '.output/chrome-mv3/manifest.json',
  );
  const built = existsSync(manifest) ? statSync(manifest).mtimeMs : null;
  if (
    !buildIsStale(
      built,
      SOURCES.map((s) => newestMtime(path.join(root, s))),
    )
  )
    return;
  log(built === null ? 'Building the extension (no build yet) …' : 'Building the extension (sources changed) …');
  const args = ['wxt', 'build', ...(browser === 'firefox' ? ['-b', 'firefox'] : [])];
  const r = spawnSync('npx', args, { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0 || !existsSync(manifest))
    throw new Error(`npx ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  return chromiumCandidates(env.CHROMIUM_PATH).find((p) => existsSync(p)) ?? null;
}

// ---------------------------------------------------------------------------------------------
// One URL in one fresh profile

export interface BrowserSetup {
  browser: BrowserName;
  executablePath: string;
  extensionDir: string;
  hostRules: string | null;
  insecure: boolean;
  allowThirdPartyCookies: boolean;
}

export function chromiumArgs(s: BrowserSetup): string[] {
  return [
    `--disable-extensions-except=${s.extensionDir}`,
    `--load-extension=${s.extensionDir}`,
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    ...(s.insecure ? ['--ignore-certificate-errors'] : []),
    // No quotes inside the value: a quoted rule makes every lookup fail.
    ...(s.hostRules ? [`--host-resolver-rules=${s.hostRules}`] : []),
  ];
}

/**
 * Chromium 156 blocks unpartitioned third-party cookies by default; there is no command-line
 * switch for it, only the profile preference (0 = allow, 1 = block third-party cookies).
 */
function writePreferences(userDataDir: string, allowThirdPartyCookies: boolean): void {
  mkdirSync(path.join(userDataDir, 'Default'), { recursive: true });
  const prefs = { profile: { cookie_controls_mode: allowThirdPartyCookies ? 0 : 1 } };
  writeFileSync(path.join(userDataDir, 'Default/Preferences'), JSON.stringify(prefs));
}

async function poll<T>(
  fn: () => Promise<T>,
  done: (v: T) => boolean,
  timeoutMs: number,
  everyMs = 200,
): Promise<{ value: T; done: boolean }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (done(value)) return { value, done: true };
    if (Date.now() >= until) return { value, done: false };
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function readyWorker(context: BrowserContext): Promise<Worker> {
  const worker =
    context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ??
    (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  // The worker exists before its listeners are registered; it sets dsaReadyAt when they are.
  const ready = await poll(
    () => worker.evaluate(() => (globalThis as { dsaReadyAt?: number }).dsaReadyAt ?? 0).catch(() => 0),
    (v) => v > 0,
    15_000,
    100,
  );
  if (!ready.done) throw new Error('the worker did not get ready');
  return worker;
}

/**
 * The report is settled when the page checks arrived and no legal page — nor the imprint of a
 * profile's linked website (corroboration) — is still being fetched.
 */
function settled(response: BackgroundResponse | null): boolean {
  if (response?.type !== 'visit' || !response.report || !response.checks) return false;
  const c = response.checks;
  return c.imprint.status !== 'pending' && c.privacy.status !== 'pending' && c.corroboration?.status !== 'pending';
}

/**
 * One fresh browser with the extension, as the audit needs it; Chromium (Playwright) and Firefox
 * (puppeteer-core over WebDriver BiDi, scripts/firefox-driver.ts) behind the same few calls.
 */
interface AuditSession {
  /** Loads the URL; the HTTP status of the document, if known. */
  open(url: string, timeoutMs: number): Promise<number | null>;
  finalUrl(): string;
  screenshot(): Promise<Uint8Array | null>;
  /** The page's tab id, -1 while unknown. */
  tabId(finalUrl: string): Promise<number>;
  /** What the popup gets for a tab (`get-visit`), asked from an extension page. */
  ask(tabId: number): Promise<BackgroundResponse | null>;
  /** Chromium only: the audited page, for answering the consent banner (--consent). */
  chromiumPage?: import('@playwright/test').Page;
  /** Chromium only, with --har: the page's requests as sent (scripts/audit-evidence.ts). */
  requests?: RequestCollector;
  close(): Promise<void>;
}

async function chromiumSession(
  setup: BrowserSetup,
  dir: string,
  onContext: (c: BrowserContext | null) => void,
  har = false,
): Promise<AuditSession> {
  const { chromium } = await import('@playwright/test');
  // Rarely the extension's worker never starts (seen once in 60 launches, while the build was
  // being rewritten): one more try with a new profile before the URL counts as failed.
  let context: BrowserContext | null = null;
  let worker: Worker | null = null;
  for (let attempt = 1; !worker; attempt++) {
    rmSync(dir, { recursive: true, force: true });
    writePreferences(dir, setup.allowThirdPartyCookies);
    context = await chromium.launchPersistentContext(dir, {
      executablePath: setup.executablePath,
      headless: true,
      args: chromiumArgs(setup),
    });
    onContext(context);
    try {
      worker = await readyWorker(context);
    } catch (error) {
      await context.close().catch(() => undefined);
      onContext(null);
      if (attempt >= 2)
        throw new Error(
          `the extension did not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        );
    }
  }
  if (!context) throw new Error('no browser');
  const ctx = context;
  const ready = worker;
  const extensionId = new URL(ready.url()).host;
  // The fresh profile is an install: its first-run tab is closed (scripts/first-run.ts).
  await closeFirstRunPages(ctx);
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const requests = har ? await collectRequests(page) : undefined;
  let extPage: import('@playwright/test').Page | null = null;
  return {
    async open(url, timeoutMs) {
      const response = await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
      return response?.status() ?? null;
    },
    finalUrl: () => page.url(),
    // JPEG at quality 80: a tenth of the PNG, so the summary and its attachments fit upload forms.
    screenshot: () => page.screenshot({ type: 'jpeg', quality: 80, timeout: 10_000 }).catch(() => null),
    tabId: (u) =>
      ready.evaluate(async (url) => {
        const tabs = await chrome.tabs.query({});
        return (tabs.find((t) => t.url === url) ?? tabs.find((t) => /^https?:/.test(t.url ?? '')))?.id ?? -1;
      }, u),
    async ask(tabId) {
      // Reports are only answered to extension pages: ask from the popup page (not rendered for a user).
      if (!extPage) {
        extPage = await ctx.newPage();
        await extPage.goto(`chrome-extension://${extensionId}/popup.html?tabId=${tabId}`);
      }
      return extPage
        .evaluate((id) => chrome.runtime.sendMessage({ type: 'get-visit', tabId: id }), tabId)
        .then((r) => (r ?? null) as BackgroundResponse | null)
        .catch(() => null);
    },
    chromiumPage: page,
    ...(requests ? { requests } : {}),
    close: () => ctx.close().catch(() => undefined),
  };
}

async function firefoxSession(
  setup: BrowserSetup,
  onClose: (close: (() => Promise<void>) | null) => void,
): Promise<AuditSession> {
  const forceResolve = setup.hostRules ? forceResolveOf(setup.hostRules) : null;
  const ff = await launchFirefox({ ...setup, extensionDir: FIREFOX_EXTENSION_DIR, forceResolve });
  const close = () => ff.close().catch(() => undefined);
  onClose(close);
  const control = await extensionPage(ff, 'about.html');
  await backgroundReady(control);
  const page = await ff.newPage();
  return {
    async open(url, timeoutMs) {
      const response = await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
      return response?.status() ?? null;
    },
    finalUrl: () => page.url(),
    screenshot: () => page.screenshot({ type: 'jpeg', quality: 80 }).catch(() => null),
    // Firefox's promise-based API is `browser` (its `chrome` wants callbacks in MV2).
    tabId: (u) =>
      control.evaluate(async (url) => {
        const tabs = await (globalThis as unknown as { browser: typeof chrome }).browser.tabs.query({});
        return (tabs.find((t) => t.url === url) ?? tabs.find((t) => /^https?:/.test(t.url ?? '')))?.id ?? -1;
      }, u),
    // As JSON: WebDriver BiDi sends an object met twice in one value (the report shares arrays
    // with the page checks) as a reference puppeteer does not resolve, so it would be lost.
    ask: (tabId) =>
      control
        .evaluate(
          async (id) =>
            JSON.stringify(
              await (globalThis as unknown as { browser: typeof chrome }).browser.runtime.sendMessage({
                type: 'get-visit',
                tabId: id,
              }),
            ),
          tabId,
        )
        .then((text) => (text ? (JSON.parse(text) as BackgroundResponse | null) : null))
        .catch(() => null),
    close,
  };
}

const live = new Set<{ close: (() => Promise<void>) | null; dir: string }>();

export async function auditUrl(
  url: string,
  slug: string,
  setup: BrowserSetup,
  timing: Pick<AuditOptions, 'waitMs' | 'settleTimeoutMs' | 'navTimeoutMs'> & {
    screenshot?: boolean;
    consent?: ConsentFlag;
    har?: boolean;
  },
): Promise<{ result: AuditResult; screenshot: ComplaintInput['screenshot']; harRows: HarRow[] | null }> {
  const started = Date.now();
  const dir = mkdtempSync(path.join(tmpdir(), 'dsa-audit-'));
  const handle: { close: (() => Promise<void>) | null; dir: string } = { close: null, dir };
  live.add(handle);
  let screenshot: ComplaintInput['screenshot'] = null;
  let harRows: HarRow[] | null = null;
  const fail = (error: string) => ({
    result: { url, slug, ok: false, error, ms: Date.now() - started } as AuditResult,
    screenshot: null,
    harRows: null,
  });
  try {
    const session =
      setup.browser === 'firefox'
        ? await firefoxSession(setup, (close) => (handle.close = close))
        : await chromiumSession(
            setup,
            dir,
            (context) => (handle.close = context ? () => context.close().catch(() => undefined) : null),
            timing.har,
          );
    // The requests as of now (the report just taken, or the end of --consent's measurement).
    const takeRows = async () => {
      if (session.requests && !harRows) harRows = await session.requests.rows();
    };
    let httpStatus: number | null = null;
    try {
      httpStatus = await session.open(url, timing.navTimeoutMs);
    } catch (error) {
      // Playwright prefixes "page.goto: "; Firefox's BiDi errors end with a stack ("#fn@chrome://…").
      const message =
        error instanceof Error
          ? error.message
              .split('\n')[0]!
              .replace(/^page\.goto: /, '')
              .replace(/\s+#\S*@chrome:\/\/.*$/, '')
          : String(error);
      return fail(message);
    }
    await new Promise((r) => setTimeout(r, timing.waitMs));
    const finalUrl = session.finalUrl();
    if (timing.screenshot) {
      const takenAt = new Date().toISOString();
      const jpeg = await session.screenshot();
      if (jpeg) screenshot = { dataUrl: `data:image/jpeg;base64,${Buffer.from(jpeg).toString('base64')}`, takenAt };
    }

    const tab = await poll(
      () => session.tabId(finalUrl),
      (id) => id >= 0,
      5000,
    );
    if (!tab.done) return fail('the page has no tab');
    const result = await poll(() => session.ask(tab.value), settled, timing.settleTimeoutMs, 250);
    const response = result.value;
    const report = response && response.type === 'visit' ? response.report : null;
    if (!report) return fail('the extension produced no report for the page');
    // The file names what the user asked for; the report as taken keeps the schema (http/https URL).
    // Where the tab ended up is `page.finalUrl`: a page that moved on by itself (a single-page app
    // opening a profile client-side) is reported as that page, with `navigation: "history"`.
    let out: Report = { ...report, url, page: { ...report.page, finalUrl } };
    if (timing.consent === 'reject' || timing.consent === 'accept') {
      // --consent: answer the banner, then measure the page after the click and a reload
      // (scripts/audit-consent.ts). Chromium only: parseArgs refuses it with --browser firefox.
      const page = session.chromiumPage;
      if (!page) return fail('--consent needs Chromium');
      const ask = () => session.ask(tab.value);
      out = await auditConsent(out, {
        page,
        mode: timing.consent,
        ask,
        askReload: async (since) => {
          const r = await poll(
            ask,
            (x) => settled(x) && x?.type === 'visit' && (x.visit?.startedAt ?? 0) >= since,
            timing.settleTimeoutMs,
            250,
          );
          return r.value?.type === 'visit' && (r.value.visit?.startedAt ?? 0) >= since ? r.value : null;
        },
        waitMs: timing.waitMs,
        navTimeoutMs: timing.navTimeoutMs,
        noneFound: report.consent?.status === 'none-found',
        url,
        probe: {
          executablePath: setup.executablePath,
          args: chromiumArgs(setup).filter((a) => !a.includes('extension')),
        },
        closeBrowser: async () => {
          await takeRows();
          await session.close();
          handle.close = null;
        },
      });
    }
    await takeRows();
    return {
      result: {
        url,
        slug,
        ok: true,
        report: out,
        ms: Date.now() - started,
        finalUrl,
        settled: result.done,
        httpStatus,
      },
      screenshot,
      harRows,
    };
  } catch (error) {
    return fail(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  } finally {
    await handle.close?.();
    rmSync(dir, { recursive: true, force: true });
    live.delete(handle);
  }
}

// ---------------------------------------------------------------------------------------------
// Outputs

/**
 * The complaint input for a report, exactly as the CLI renders it: one report, the page's label
 * (lib/cli/audit-args.ts complaintSiteOf), the report's own analysis time as "now" (the same report always
 * renders the same summary) and its tool version.
 */
export function complaintInputOf(report: Report, lang: AuditOptions['lang']): ComplaintInput {
  return {
    site: complaintSiteOf(report),
    reports: [report],
    lang,
    toolVersion: report.tool.version,
    now: report.analysedAt,
  };
}

/**
 * Writes <slug>.report.json and <slug>.summary.md, and with the flags the other files of one
 * export package (lib/export/package.ts): --bundle <slug>.summary.html, <slug>.bundle.json and
 * the screenshot; --pdf <slug>.summary.pdf (and the screenshot it shows); --har <slug>.har;
 * --csv <slug>.requests.csv and <slug>.cookies.csv. Every attachment the summaries list is written.
 */
export async function writeOutputs(
  result: AuditResult & { ok: true },
  options: Pick<AuditOptions, 'out' | 'bundle' | 'lang' | 'pdf' | 'har' | 'csv'>,
  screenshot: ComplaintInput['screenshot'] = null,
  evidence: {
    harRows?: HarRow[] | null;
    printer?: PdfPrinter | null;
    browser?: { name: string; version: string } | null;
  } = {},
): Promise<string[]> {
  if (!options.out) return [];
  const out = options.out;
  const written: string[] = [];
  const put = (name: string, data: string | Uint8Array) => {
    const file = path.join(out, name);
    writeFileSync(file, typeof data === 'string' && !data.endsWith('\n') ? `${data}\n` : data);
    written.push(file);
  };
  put(`${result.slug}.report.json`, JSON.stringify(result.report, null, 2));
  const prepared = await prepareExport({
    ...complaintInputOf(result.report, options.lang),
    baseName: result.slug,
    // The printable page, the PDF and the bundle also carry a screenshot of the page as loaded.
    screenshot: options.bundle || options.pdf ? screenshot : null,
    har: options.har && evidence.harRows ? auditHar(result.report, evidence.harRows, evidence.browser ?? null) : null,
    csv: options.csv,
  });
  const pdf = options.pdf && evidence.printer ? await evidence.printer.print(prepared.printHtml) : null;
  const done = await finishExport(
    prepared,
    pdf ? [{ name: `${result.slug}.summary.pdf`, kind: 'summary-pdf', mediaType: 'application/pdf', data: pdf }] : [],
  );
  const wanted = (f: ExportFile) =>
    f.kind === 'summary-md' ||
    f.role === 'attachment' ||
    f.kind === 'summary-pdf' ||
    (options.bundle && (f.kind === 'summary-html' || f.kind === 'bundle'));
  for (const f of done.files) if (wanted(f)) put(f.name, f.data);
  return written;
}

// ---------------------------------------------------------------------------------------------
// The run

export interface RunIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}
const defaultIo: RunIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

/** Audits every URL in order; never throws for a single page. Returns results and exit code. */
export async function runAudit(
  options: AuditOptions,
  executablePath: string,
  io: RunIo = defaultIo,
): Promise<{ results: AuditResult[]; exitCode: number }> {
  const setup: BrowserSetup = {
    browser: options.browser,
    executablePath,
    extensionDir: EXTENSION_DIR,
    hostRules: options.hostRules,
    insecure: options.insecure,
    allowThirdPartyCookies: options.allowThirdPartyCookies,
  };
  if (options.out) mkdirSync(options.out, { recursive: true });
  // One browser prints every PDF of the run, the one that measured (scripts/audit-evidence.ts).
  const printer = options.pdf ? new PdfPrinter(options.browser, executablePath) : null;
  const slugs = uniqueSlugs(options.urls);
  const results: AuditResult[] = [];
  const total = options.urls.length;
  // A small pool: `--jobs` pages at once, each in its own fresh profile (no shared state, so the
  // order of the list still cannot change a report). Results keep the list's order.
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      const url = options.urls[i]!;
      const { result, screenshot, harRows } = await auditUrl(url, slugs[i]!, setup, {
        ...options,
        screenshot: options.bundle || options.pdf,
      });
      results[i] = result;
      done++;
      if (total > 5) io.stderr(`${progressBar(done, total)} ${url}\n`);
      io.stderr(`${progressLine(result, i, total, options.lang)}\n`);
      if (result.ok) {
        try {
          await writeOutputs(result, options, screenshot, {
            harRows,
            printer,
            browser: result.report.tool.browser ?? null,
          });
        } catch (error) {
          io.stderr(
            `  could not write the outputs for ${url}: ${error instanceof Error ? error.message : String(error)}\n`,
          );
          results[i] = {
            url,
            slug: result.slug,
            ok: false,
            error: `writing outputs failed: ${String(error)}`,
            ms: result.ms,
          };
        }
        if (options.json) io.stdout(`${JSON.stringify(result.report)}\n`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, total)) }, worker));
  } finally {
    await printer?.close();
  }
  if (total > 5) io.stderr(`${progressBar(total, total)}\n`);
  const table = formatTable(results, options.lang, { consent: options.consent });
  if (options.json) io.stderr(`\n${table}`);
  else io.stdout(`\n${table}`);
  if (options.out) io.stderr(`${options.lang === 'de' ? 'Berichte in' : 'Reports in'} ${path.resolve(options.out)}\n`);
  const exitCode = exitCodeFor(results, options.failOn);
  const failed = results.filter((r) => !r.ok).length;
  if (failed) io.stderr(`${failed} of ${total} page(s) could not be audited (exit ${exitCode}).\n`);
  else if (exitCode === EXIT.failOn)
    io.stderr(`At least one page is ${options.failOn} or worse (--fail-on ${options.failOn}).\n`);
  return { results, exitCode };
}

function readUrlFile(file: string): string[] {
  const text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  return parseUrlList(text).map(normaliseUrl);
}

export async function main(argv: string[]): Promise<number> {
  let options: AuditOptions;
  try {
    options = parseArgs(argv);
    if (options.help) {
      process.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    if (options.from) {
      if (options.from !== '-' && !existsSync(options.from))
        throw new UsageError(`--from: no such file: ${options.from}`);
      options.urls = [...options.urls, ...readUrlFile(options.from)];
      if (!options.urls.length) throw new UsageError(`no URL in ${options.from}`);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`datenschutz-ampel audit: ${error.message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const executablePath = options.browser === 'firefox' ? findFirefox() : findChromium();
  if (!executablePath) {
    process.stderr.write(`${options.browser === 'firefox' ? NO_FIREFOX_HELP : NO_CHROMIUM_HELP}\n`);
    return EXIT.noBrowser;
  }
  ensureBuilt(ROOT, options.browser);
  const { exitCode } = await runAudit(options, executablePath);
  return exitCode;
}

async function cleanUpAndExit(code: number): Promise<never> {
  for (const h of live) {
    await h.close?.();
    rmSync(h.dir, { recursive: true, force: true });
  }
  process.exit(code);
}

const invokedDirectly = (() => {
  try {
    return Boolean(process.argv[1]) && import.meta.url === pathToFileURL(realpathSync(process.argv[1]!)).href;
  } catch {
    return false;
  }
})();
if (invokedDirectly) {
  process.once('SIGINT', () => void cleanUpAndExit(130));
  process.once('SIGTERM', () => void cleanUpAndExit(143));
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `datenschutz-ampel audit: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(EXIT.internal);
    },
  );
}
