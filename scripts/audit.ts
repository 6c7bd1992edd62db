#!/usr/bin/env -S npx tsx
/**
 * The audit CLI: each URL in a fresh headless Chromium profile with the built extension; the
 * extension's own report is fetched from an extension page, written as JSON and rendered as a
 * complaint summary with the shared renderer (lib/export/). Usage: lib/cli/audit-args.ts USAGE, docs/audit.md.
 *
 *   npx tsx scripts/audit.ts --out audit/ https://www.example.org/
 *
 * Pure parts (arguments, slugs, table, exit code) live in lib/cli/audit-args.ts; this file does the I/O.
 * Browser facts behind the flags: ../shared/notes/browser-testing.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Worker } from '@playwright/test';
import type { Browser } from 'wxt/browser';
import {
  type AuditOptions,
  type AuditResult,
  EXIT,
  NO_CHROMIUM_HELP,
  USAGE,
  UsageError,
  buildIsStale,
  chromiumCandidates,
  complaintSiteOf,
  exitCodeFor,
  formatTable,
  normaliseUrl,
  parseArgs,
  parseUrlList,
  progressBar,
  progressLine,
  uniqueSlugs,
} from '../lib/cli/audit-args';
import { buildComplaint } from '../lib/export/complaint/build';
import type { ComplaintInput } from '../lib/export/complaint/model';
import { renderComplaintHtml } from '../lib/export/html';
import { renderComplaintMarkdown } from '../lib/export/markdown';
import { buildEvidenceBundle } from '../lib/export/bundle';
import type { BackgroundResponse } from '../lib/messages';
import type { Report } from '../lib/verdict/report';

// Code passed to evaluate() runs in the extension's worker or pages, where `chrome` exists.
declare const chrome: typeof Browser;

export const ROOT = path.resolve(import.meta.dirname, '..');
export const EXTENSION_DIR = path.join(ROOT, '.output/chrome-mv3');
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

/** Builds the extension (npx wxt build) when the manifest is missing or older than a source. */
export function ensureBuilt(root = ROOT): void {
  const manifest = path.join(root, '.output/chrome-mv3/manifest.json');
  const built = existsSync(manifest) ? statSync(manifest).mtimeMs : null;
  if (!buildIsStale(built, SOURCES.map((s) => newestMtime(path.join(root, s))))) return;
  log(built === null ? 'Building the extension (no build yet) …' : 'Building the extension (sources changed) …');
  const r = spawnSync('npx', ['wxt', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0 || !existsSync(manifest)) throw new Error(`npx wxt build failed (exit ${r.status ?? r.signal})`);
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  return chromiumCandidates(env.CHROMIUM_PATH).find((p) => existsSync(p)) ?? null;
}

// ---------------------------------------------------------------------------------------------
// One URL in one fresh profile

export interface BrowserSetup {
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

async function poll<T>(fn: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number, everyMs = 200): Promise<{ value: T; done: boolean }> {
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
  if (!response || response.type !== 'visit' || !response.report || !response.checks) return false;
  const c = response.checks;
  return c.imprint.status !== 'pending' && c.privacy.status !== 'pending' && c.corroboration?.status !== 'pending';
}

const live = new Set<{ context: BrowserContext | null; dir: string }>();

export async function auditUrl(
  url: string,
  slug: string,
  setup: BrowserSetup,
  timing: Pick<AuditOptions, 'waitMs' | 'settleTimeoutMs' | 'navTimeoutMs'> & { screenshot?: boolean },
): Promise<{ result: AuditResult; screenshot: ComplaintInput['screenshot'] }> {
  const started = Date.now();
  const dir = mkdtempSync(path.join(tmpdir(), 'dsa-audit-'));
  const handle: { context: BrowserContext | null; dir: string } = { context: null, dir };
  live.add(handle);
  let screenshot: ComplaintInput['screenshot'] = null;
  const fail = (error: string) => ({ result: { url, slug, ok: false, error, ms: Date.now() - started } as AuditResult, screenshot: null });
  try {
    const { chromium } = await import('@playwright/test');
    // Rarely the extension's worker never starts (seen once in 60 launches, while the build was
    // being rewritten): one more try with a new profile before the URL counts as failed.
    let context: BrowserContext | null = null;
    let worker: Worker | null = null;
    for (let attempt = 1; !worker; attempt++) {
      rmSync(dir, { recursive: true, force: true });
      writePreferences(dir, setup.allowThirdPartyCookies);
      context = await chromium.launchPersistentContext(dir, { executablePath: setup.executablePath, headless: true, args: chromiumArgs(setup) });
      handle.context = context;
      try {
        worker = await readyWorker(context);
      } catch (error) {
        await context.close().catch(() => undefined);
        handle.context = null;
        if (attempt >= 2) throw new Error(`the extension did not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      }
    }
    if (!context) throw new Error('no browser');
    const extensionId = new URL(worker.url()).host;

    const page = context.pages()[0] ?? (await context.newPage());
    let httpStatus: number | null = null;
    try {
      const response = await page.goto(url, { waitUntil: 'load', timeout: timing.navTimeoutMs });
      httpStatus = response?.status() ?? null;
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]!.replace(/^page\.goto: /, '') : String(error);
      return fail(message);
    }
    await page.waitForTimeout(timing.waitMs);
    const finalUrl = page.url();
    if (timing.screenshot) {
      const takenAt = new Date().toISOString();
      const png = await page.screenshot({ type: 'png', timeout: 10_000 }).catch(() => null);
      if (png) screenshot = { dataUrl: `data:image/png;base64,${png.toString('base64')}`, takenAt };
    }

    const tab = await poll(
      () =>
        worker.evaluate(async (u) => {
          const tabs = await chrome.tabs.query({});
          return (tabs.find((t) => t.url === u) ?? tabs.find((t) => /^https?:/.test(t.url ?? '')))?.id ?? -1;
        }, finalUrl),
      (id) => id >= 0,
      5000,
    );
    if (!tab.done) return fail('the page has no tab');

    // Reports are only answered to extension pages: ask from the popup page (not rendered for a user).
    const extPage = await context.newPage();
    await extPage.goto(`chrome-extension://${extensionId}/popup.html?tabId=${tab.value}`);
    const ask = () =>
      extPage
        .evaluate((id) => chrome.runtime.sendMessage({ type: 'get-visit', tabId: id }), tab.value)
        .then((r) => (r ?? null) as BackgroundResponse | null)
        .catch(() => null);
    const result = await poll(ask, settled, timing.settleTimeoutMs, 250);
    const response = result.value;
    const report = response && response.type === 'visit' ? response.report : null;
    if (!report) return fail('the extension produced no report for the page');
    // The file names what the user asked for; the report as taken keeps the schema (http/https URL).
    const out: Report = { ...report, url };
    return { result: { url, slug, ok: true, report: out, ms: Date.now() - started, finalUrl, settled: result.done, httpStatus }, screenshot };
  } catch (error) {
    return fail(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  } finally {
    await handle.context?.close().catch(() => undefined);
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
  return { site: complaintSiteOf(report), reports: [report], lang, toolVersion: report.tool.version, now: report.analysedAt };
}

/** Writes <slug>.report.json and <slug>.summary.md (+ .summary.html, .bundle.json with --bundle). */
export async function writeOutputs(
  result: AuditResult & { ok: true },
  options: Pick<AuditOptions, 'out' | 'bundle' | 'lang'>,
  screenshot: ComplaintInput['screenshot'] = null,
): Promise<string[]> {
  if (!options.out) return [];
  const base = path.join(options.out, result.slug);
  const written: string[] = [];
  const put = (file: string, text: string) => {
    writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
    written.push(file);
  };
  put(`${base}.report.json`, JSON.stringify(result.report, null, 2));
  const input = complaintInputOf(result.report, options.lang);
  put(`${base}.summary.md`, renderComplaintMarkdown(buildComplaint(input)));
  if (options.bundle) {
    // The printable page and the evidence bundle also carry a screenshot of the page as loaded.
    const withShot: ComplaintInput = screenshot ? { ...input, screenshot } : input;
    put(`${base}.summary.html`, renderComplaintHtml(buildComplaint(withShot)));
    put(`${base}.bundle.json`, JSON.stringify(await buildEvidenceBundle(withShot), null, 2));
  }
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
export async function runAudit(options: AuditOptions, executablePath: string, io: RunIo = defaultIo): Promise<{ results: AuditResult[]; exitCode: number }> {
  const setup: BrowserSetup = {
    executablePath,
    extensionDir: EXTENSION_DIR,
    hostRules: options.hostRules,
    insecure: options.insecure,
    allowThirdPartyCookies: options.allowThirdPartyCookies,
  };
  if (options.out) mkdirSync(options.out, { recursive: true });
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
      const { result, screenshot } = await auditUrl(url, slugs[i]!, setup, { ...options, screenshot: options.bundle });
      results[i] = result;
      done++;
      if (total > 5) io.stderr(`${progressBar(done, total)} ${url}\n`);
      io.stderr(`${progressLine(result, i, total, options.lang)}\n`);
      if (result.ok) {
        try {
          await writeOutputs(result, options, screenshot);
        } catch (error) {
          io.stderr(`  could not write the outputs for ${url}: ${error instanceof Error ? error.message : String(error)}\n`);
          results[i] = { url, slug: result.slug, ok: false, error: `writing outputs failed: ${String(error)}`, ms: result.ms };
        }
        if (options.json) io.stdout(`${JSON.stringify(result.report)}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, total)) }, worker));
  if (total > 5) io.stderr(`${progressBar(total, total)}\n`);
  const table = formatTable(results, options.lang);
  if (options.json) io.stderr(`\n${table}`);
  else io.stdout(`\n${table}`);
  if (options.out) io.stderr(`${options.lang === 'de' ? 'Berichte in' : 'Reports in'} ${path.resolve(options.out)}\n`);
  const exitCode = exitCodeFor(results, options.failOn);
  const failed = results.filter((r) => !r.ok).length;
  if (failed) io.stderr(`${failed} of ${total} page(s) could not be audited (exit ${exitCode}).\n`);
  else if (exitCode === EXIT.failOn) io.stderr(`At least one page is ${options.failOn} or worse (--fail-on ${options.failOn}).\n`);
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
      if (options.from !== '-' && !existsSync(options.from)) throw new UsageError(`--from: no such file: ${options.from}`);
      options.urls = [...options.urls, ...readUrlFile(options.from)];
      if (!options.urls.length) throw new UsageError(`no URL in ${options.from}`);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`datenschutz-ampel audit: ${error.message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const executablePath = findChromium();
  if (!executablePath) {
    process.stderr.write(`${NO_CHROMIUM_HELP}\n`);
    return EXIT.noBrowser;
  }
  ensureBuilt();
  const { exitCode } = await runAudit(options, executablePath);
  return exitCode;
}

async function cleanUpAndExit(code: number): Promise<never> {
  for (const h of live) {
    await h.context?.close().catch(() => undefined);
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
      process.stderr.write(`datenschutz-ampel audit: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(EXIT.internal);
    },
  );
}
