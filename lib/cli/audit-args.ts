/**
 * The audit CLI's pure parts (scripts/audit.ts drives Chromium): argument parsing, URL lists,
 * file names, the summary table, the progress bar and the exit code. No I/O here.
 */
import { type Lang, greyReasonText } from '../i18n/ui';
import type { Report } from '../verdict/report';
import { VERDICT_TABLE, isVerdict } from '../verdict/verdict-table';
import { siteOfHost } from '../site';
import { type ConsentFlag, afterDecisionCell, afterDecisionHeading, consentProgress } from './consent-answer';

export const EXIT = {
  ok: 0,
  /** A page met --fail-on. */
  failOn: 1,
  /** The browser (Chromium, or Firefox with --browser firefox) was not found. */
  noBrowser: 2,
  /** At least one page could not be loaded (the others were still audited and written). */
  loadFailed: 3,
  /** Wrong arguments (EX_USAGE). */
  usage: 64,
  /** The tool itself failed (build error, crash; EX_SOFTWARE). */
  internal: 70,
} as const;

export type FailOn = 'red' | 'yellow';
export type BrowserName = 'chromium' | 'firefox';

export interface AuditOptions {
  /** The browser that measures: Chromium (default) or Firefox, each with the extension built for it. */
  browser: BrowserName;
  /** URLs from the command line and --from, in order, normalised (absolute http/https). */
  urls: string[];
  /** URL list file (one per line, # comments); read by the caller, merged into `urls`. */
  from: string | null;
  out: string | null;
  bundle: boolean;
  /** Evidence files next to the summary (evidenceOption): the summary as PDF, the page load as HAR, the tables as CSV. */
  pdf: boolean;
  har: boolean;
  csv: boolean;
  /** Value for --host-resolver-rules. */
  hostRules: string | null;
  insecure: boolean;
  lang: Lang;
  allowThirdPartyCookies: boolean;
  json: boolean;
  failOn: FailOn | null;
  /** Stay this long on the page after `load`. */
  waitMs: number;
  /** Upper bound for the report to settle (legal pages fetched) after the wait. */
  settleTimeoutMs: number;
  /** Upper bound for the navigation itself. */
  navTimeoutMs: number;
  /** Pages audited at the same time, each in its own fresh browser profile. */
  jobs: number;
  /** Answer the consent banner ("reject all" or opt-in) and measure what follows (scripts/audit-consent.ts). */
  consent: ConsentFlag;
  help: boolean;
}

export const DEFAULTS: Omit<AuditOptions, 'urls'> = {
  browser: 'chromium',
  from: null,
  out: null,
  bundle: false,
  pdf: false,
  har: false,
  csv: false,
  hostRules: null,
  insecure: false,
  lang: 'de',
  allowThirdPartyCookies: true,
  json: false,
  failOn: null,
  waitMs: 3000,
  jobs: 2,
  consent: 'none',
  settleTimeoutMs: 15_000,
  navTimeoutMs: 30_000,
  help: false,
};

export const USAGE = `Usage: datenschutz-ampel audit [options] URL [URL …]
       npx tsx scripts/audit.ts [options] URL [URL …]

Loads each URL in a fresh headless Chromium (or Firefox) profile with the Datenschutz-Ampel
extension and writes the extension's own report (docs/report-schema.json).

Options:
  --browser chromium|firefox    the browser that measures (default: chromium); firefox needs
                                Firefox 140+ (FIREFOX_PATH, else /usr/bin/firefox-esr, /usr/bin/firefox)
  --out DIR                     write <slug>.report.json and <slug>.summary.md per URL
  --bundle                      with --out: also <slug>.summary.html and <slug>.bundle.json
  --pdf                         with --out: also <slug>.summary.pdf, printed by the same browser
  --har                         with --out: also <slug>.har (HAR 1.2 of the page load; Chromium only)
  --csv                         with --out: also <slug>.requests.csv and <slug>.cookies.csv
  --from FILE                   read URLs from FILE (one per line, # comments); "-" = stdin
  --lang de|en                  language of summaries and the table (default: de)
  --wait MS                     stay MS milliseconds on the page after load (default: 3000)
  --settle-timeout MS           wait at most MS for imprint/privacy checks (default: 15000)
  --timeout MS                  navigation timeout (default: 30000)
  --jobs N                      audit N pages at once, each in its own profile (default: 2)
  --consent reject|accept|none  answer the consent banner ("reject all" or opt-in) with the
                                platform's autoconsent rule, then measure the page after the
                                click and a reload (default: none, nobody clicks; Chromium only)
  --host-rules RULES            passed as --host-resolver-rules=RULES to Chromium; with
                                --browser firefox only "MAP * ADDRESS" (network.dns.forceResolve)
  --insecure                    ignore certificate errors (--ignore-certificate-errors)
  --allow-third-party-cookies   do not block third-party cookies (default)
  --no-allow-third-party-cookies  block them, as Chromium does by default
  --json                        print each report as one JSON line on stdout
  --fail-on red|yellow          exit 1 when a page's verdict is at or over that level
  -h, --help                    this text

Environment: CHROMIUM_PATH (else /usr/bin/chromium, chromium-browser, google-chrome,
/snap/bin/chromium), FIREFOX_PATH.
Exit codes: 0 all audited · 1 --fail-on met · 2 no browser · 3 a page could not be loaded
(the other pages are still audited and written) · 64 usage error · 70 internal error.`;

export class UsageError extends Error {
  override name = 'UsageError';
}

/** An absolute http(s) URL from user input; a bare host ("example.org/x") is read as https. */
export function normaliseUrl(input: string): string {
  const text = input.trim();
  if (!text) throw new UsageError('empty URL');
  if (/\s/.test(text)) throw new UsageError(`not a URL (contains white space): ${text}`);
  const withScheme =
    /^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[^/:]+:\d+(?:[/?#]|$)/.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`not a URL: ${text}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`only http and https URLs can be audited: ${text}`);
  if (!url.hostname) throw new UsageError(`URL without a host: ${text}`);
  // Keep the user's spelling when it already is a proper absolute URL; otherwise the parsed form.
  return withScheme === text && /^https?:\/\/[^/?#]+/.test(text) ? text : url.href;
}

/** URLs from a list file: one per line, blank lines and # comments ignored (also after a URL). */
export function parseUrlList(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line) out.push(line);
  }
  return out;
}

function intOption(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} needs a whole number of milliseconds, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/**
 * Parses the command line (without node and script). A leading "audit" (the bin's subcommand) is
 * skipped. URLs from --from are not read here: `from` is returned for the caller to read, and
 * `urls` holds only the command-line ones. Throws UsageError.
 */
export function parseArgs(argv: readonly string[]): AuditOptions {
  const args = [...argv];
  if (args[0] === 'audit') args.shift();
  const o: AuditOptions = { ...DEFAULTS, urls: [] };
  const end = args.indexOf('--');
  if (args.slice(0, end < 0 ? undefined : end).some((a) => a === '-h' || a === '--help')) return { ...o, help: true };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
    const inline = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = args[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2))
        throw new UsageError(`${name} needs a value`);
      i++;
      return next;
    };
    const flag = (): true => {
      if (inline !== undefined) throw new UsageError(`${name} takes no value`);
      return true;
    };
    if (evidenceOption(name, flag, o)) continue;
    switch (name) {
      case '--browser': {
        const v = value();
        if (v !== 'chromium' && v !== 'firefox')
          throw new UsageError(`--browser must be chromium or firefox, got "${v}"`);
        o.browser = v;
        break;
      }
      case '-h':
      case '--help':
        o.help = flag();
        break;
      case '--out':
        o.out = value();
        if (!o.out) throw new UsageError('--out needs a directory');
        break;
      case '--bundle':
        o.bundle = flag();
        break;
      case '--from':
        o.from = value();
        if (!o.from) throw new UsageError('--from needs a file');
        break;
      case '--lang': {
        const v = value();
        if (v !== 'de' && v !== 'en') throw new UsageError(`--lang must be de or en, got "${v}"`);
        o.lang = v;
        break;
      }
      case '--jobs':
        o.jobs = intOption('--jobs', value(), 1, 8);
        break;
      case '--consent': {
        const v = value();
        if (v !== 'reject' && v !== 'accept' && v !== 'none')
          throw new UsageError(`--consent must be reject, accept or none, got "${v}"`);
        o.consent = v;
        break;
      }
      case '--wait':
        o.waitMs = intOption('--wait', value(), 0, 600_000);
        break;
      case '--settle-timeout':
        o.settleTimeoutMs = intOption('--settle-timeout', value(), 0, 600_000);
        break;
      case '--timeout':
        o.navTimeoutMs = intOption('--timeout', value(), 1000, 600_000);
        break;
      case '--host-rules': {
        const v = value().trim();
        // Chromium fails every lookup when the rule carries its own quotes.
        if (!v || /^["']|["']$/.test(v))
          throw new UsageError(
            '--host-rules needs rules without surrounding quotes, e.g. "MAP * 127.0.0.1, EXCLUDE localhost"',
          );
        o.hostRules = v;
        break;
      }
      case '--insecure':
        o.insecure = flag();
        break;
      case '--allow-third-party-cookies':
        o.allowThirdPartyCookies = flag();
        break;
      case '--no-allow-third-party-cookies':
        flag();
        o.allowThirdPartyCookies = false;
        break;
      case '--json':
        o.json = flag();
        break;
      case '--fail-on': {
        const v = value();
        if (v !== 'red' && v !== 'yellow') throw new UsageError(`--fail-on must be red or yellow, got "${v}"`);
        o.failOn = v;
        break;
      }
      default:
        throw new UsageError(`unknown option ${name}`);
    }
  }
  if (o.help) return o;
  if (o.bundle && !o.out) throw new UsageError('--bundle needs --out DIR');
  checkEvidenceOptions(o);
  if (o.browser === 'firefox' && o.consent !== 'none')
    throw new UsageError(
      '--consent runs autoconsent through Playwright, which cannot drive Firefox here: use it with --browser chromium',
    );
  if (o.browser === 'firefox' && o.hostRules && !forceResolveOf(o.hostRules))
    throw new UsageError(
      `--host-rules "${o.hostRules}" cannot be done in Firefox: it can only send every host name to one address ` +
        '(network.dns.forceResolve), without ports or exceptions other than localhost. Use "MAP * 127.0.0.1" and put the port in the URL.',
    );
  if (positional.includes('-')) {
    if (o.from) throw new UsageError('"-" (URLs from stdin) and --from cannot be combined');
    o.from = '-';
  }
  o.urls = positional.filter((p) => p !== '-').map(normaliseUrl);
  if (!o.urls.length && !o.from) throw new UsageError('no URL given');
  return o;
}

/** `--pdf`, `--har`, `--csv`: true when `name` was one of them (and set on `o`). */
function evidenceOption(name: string, flag: () => true, o: AuditOptions): boolean {
  if (name !== '--pdf' && name !== '--har' && name !== '--csv') return false;
  o[name.slice(2) as 'pdf' | 'har' | 'csv'] = flag();
  return true;
}

/**
 * The evidence files are written next to the report: they need --out. The HAR comes from
 * Chromium's DevTools network events (scripts/audit-evidence.ts); puppeteer's WebDriver BiDi
 * requests in Firefox carry no resource type, timings or server address (UnsupportedOperation),
 * so --har with --browser firefox is refused rather than written half empty.
 */
function checkEvidenceOptions(o: AuditOptions): void {
  for (const f of ['pdf', 'har', 'csv'] as const) if (o[f] && !o.out) throw new UsageError(`--${f} needs --out DIR`);
  if (o.har && o.browser === 'firefox')
    throw new UsageError(
      "--har records the page load through Chromium's DevTools protocol; Firefox over WebDriver BiDi does not report timings, server addresses or resource types: use it with --browser chromium",
    );
}

const IP_ADDRESS = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i;

/**
 * The one kind of host rule Firefox can follow: `MAP * ADDRESS` (optionally `, EXCLUDE localhost`,
 * which resolves to loopback anyway) becomes the pref network.dns.forceResolve = ADDRESS. Returns
 * the address, or null for anything Firefox cannot do (a port, single hosts, other exclusions):
 * Firefox has no --host-resolver-rules, and forceResolve maps names, not ports.
 */
export function forceResolveOf(hostRules: string): string | null {
  const m = /^MAP\s+\*\s+(\S+?)\s*(?:,\s*EXCLUDE\s+localhost\s*)?$/i.exec(hostRules.trim());
  if (!m || !IP_ADDRESS.test(m[1]!)) return null;
  return m[1]!.replace(/^\[|\]$/g, '');
}

/** A file-name-safe slug for a URL: host plus path, lower case, [a-z0-9._-], at most 80 chars. */
export function slugOf(url: string): string {
  let base: string;
  try {
    const u = new URL(url);
    base = `${u.hostname}${u.port ? `_${u.port}` : ''}${u.pathname}${u.search}`;
  } catch {
    base = url;
  }
  const slug = base
    .toLowerCase()
    .replace(/^www\./, '')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return slug.slice(0, 80).replace(/[-.]+$/, '') || 'page';
}

/** Slugs for a list of URLs, unique within the list (a repeated slug gets -2, -3, …). */
export function uniqueSlugs(urls: readonly string[]): string[] {
  const used = new Set<string>();
  return urls.map((url) => {
    const base = slugOf(url);
    let slug = base;
    for (let n = 2; used.has(slug); n++) slug = `${base}-${n}`;
    used.add(slug);
    return slug;
  });
}

/** The outcome for one URL. */
export type AuditResult =
  | {
      url: string;
      slug: string;
      ok: true;
      report: Report;
      ms: number;
      finalUrl: string;
      settled: boolean;
      httpStatus: number | null;
    }
  | { url: string; slug: string; ok: false; error: string; ms: number };

const LEVEL: Record<string, number> = { grey: 0, green: 0, yellow: 1, red: 2 };

/** Does a verdict meet --fail-on? grey and green never do; yellow meets "yellow"; red meets both. */
export function meetsFailOn(verdict: string, failOn: FailOn | null): boolean {
  if (!failOn) return false;
  return (LEVEL[verdict] ?? 0) >= LEVEL[failOn]!;
}

/**
 * Exit code for a finished run: 3 when any page could not be loaded (the audit is incomplete,
 * which outranks --fail-on), else 1 when any verdict meets --fail-on, else 0.
 */
export function exitCodeFor(results: readonly AuditResult[], failOn: FailOn | null): number {
  if (results.some((r) => !r.ok)) return EXIT.loadFailed;
  if (results.some((r) => r.ok && meetsFailOn(r.report.verdict, failOn))) return EXIT.failOn;
  return EXIT.ok;
}

/**
 * The most important finding (the report's findings are ordered red → info, then by certainty);
 * for a grey page without findings, why it is grey.
 */
export function topFinding(report: Pick<Report, 'findings'> & Partial<Pick<Report, 'greyReason'>>, lang: Lang): string {
  const f = report.findings.find((x) => x.severity !== 'info') ?? report.findings[0];
  return f ? f.text[lang] : report.greyReason ? greyReasonText(report.greyReason, lang) : '–';
}

const FAILED: Record<Lang, string> = { de: 'FEHLER', en: 'FAILED' };
/** The verdict in capitals for the terminal ("ROT"), from the one verdict table; 'failed' for a URL that could not be audited. */
export const verdictWord = (verdict: string, lang: Lang): string =>
  verdict === 'failed'
    ? FAILED[lang]
    : isVerdict(verdict)
      ? VERDICT_TABLE[verdict].word[lang].toLocaleUpperCase(lang)
      : verdict.toUpperCase();

const HEADERS: Record<Lang, [string, string, string, string, string]> = {
  de: ['URL', 'Ampel', 'Dritte', 'Cookies', 'Wichtigster Befund'],
  en: ['URL', 'Verdict', 'Third parties', 'Cookies', 'Top finding'],
};

export interface TableRow {
  url: string;
  verdict: string;
  thirdParties: string;
  cookies: string;
  top: string;
  /** With --consent: tracking after the decision (lib/cli/consent-answer.ts afterDecisionCell). */
  afterDecision: string;
}

export function tableRowOf(result: AuditResult, lang: Lang): TableRow {
  if (!result.ok)
    return {
      url: result.url,
      verdict: verdictWord('failed', lang),
      thirdParties: '–',
      cookies: '–',
      top: result.error,
      afterDecision: '–',
    };
  const r = result.report;
  return {
    url: result.url,
    verdict: verdictWord(r.verdict, lang),
    thirdParties: String(r.requests.thirdPartyHosts.length),
    cookies: String(r.cookies.total),
    top: topFinding(r, lang),
    afterDecision: afterDecisionCell(r, lang),
  };
}

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`);
const width = (s: string) => [...s].length;
const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));

/**
 * A plain-text table (one line per URL). Columns are padded to their widest cell; URL and top
 * finding are clipped to `maxUrl` / `maxTop` characters. With `consent` reject or accept, a column
 * "nach Ablehnung / after reject" (or "… Zustimmung / accept") comes before the top finding.
 * Ends with a newline.
 */
export function formatTable(
  results: readonly AuditResult[],
  lang: Lang,
  opts: { maxUrl?: number; maxTop?: number; consent?: ConsentFlag } = {},
): string {
  const maxUrl = opts.maxUrl ?? 60;
  const maxTop = opts.maxTop ?? 70;
  const consent = opts.consent && opts.consent !== 'none' ? opts.consent : null;
  const rows = results.map((r) => tableRowOf(r, lang));
  const [u, v, t, c, top] = HEADERS[lang];
  const headers = consent ? [u, v, t, c, afterDecisionHeading(consent, lang), top] : [u, v, t, c, top];
  const cells = [
    headers,
    ...rows.map((r) => {
      const base = [clip(r.url, maxUrl), r.verdict, r.thirdParties, r.cookies];
      return [...base, ...(consent ? [r.afterDecision] : []), clip(r.top.replace(/\s+/g, ' '), maxTop)];
    }),
  ];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => width(row[i]!))));
  const numeric = new Set([2, 3]);
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) =>
        numeric.has(i) && cell !== headers[i] ? ' '.repeat(widths[i]! - width(cell)) + cell : pad(cell, widths[i]!),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n') + '\n';
}

/** "[#####.....] 5/10" */
export function progressBar(done: number, total: number, size = 20): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * size) : size;
  return `[${'#'.repeat(filled)}${'.'.repeat(size - filled)}] ${done}/${total}`;
}

/** The progress line for one finished URL. */
export function progressLine(result: AuditResult, index: number, total: number, lang: Lang): string {
  const n = `(${index + 1}/${total})`;
  const secs = `${(result.ms / 1000).toFixed(1)} s`;
  if (!result.ok) return `${n} ${verdictWord('failed', lang)} ${result.url} – ${result.error} [${secs}]`;
  const extra = [
    result.finalUrl !== result.url ? `→ ${result.finalUrl}` : '',
    result.httpStatus !== null && result.httpStatus >= 400 ? `HTTP ${result.httpStatus}` : '',
    result.settled ? '' : lang === 'de' ? 'Prüfung nicht abgeschlossen' : 'checks not settled',
    consentProgress(result.report, lang),
  ].filter(Boolean);
  return `${n} ${verdictWord(result.report.verdict, lang)} ${result.url}${extra.length ? ` (${extra.join('; ')})` : ''} [${secs}]`;
}

/** Is the build older than its sources? (mtimes in ms; a missing build is stale.) */
export function buildIsStale(buildMtime: number | null, sourceMtimes: Iterable<number>): boolean {
  if (buildMtime === null) return true;
  for (const m of sourceMtimes) if (m > buildMtime) return true;
  return false;
}

/** The first existing candidate: CHROMIUM_PATH first, then the usual install locations. */
export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
] as const;
export function chromiumCandidates(envPath: string | undefined): string[] {
  return [...(envPath ? [envPath] : []), ...CHROMIUM_CANDIDATES];
}

export const NO_CHROMIUM_HELP = `No Chromium found. Set CHROMIUM_PATH or install it:
  Debian/Ubuntu:  sudo apt-get install chromium      (Ubuntu may need: sudo snap install chromium)
  Fedora:         sudo dnf install chromium
  macOS:          brew install --cask chromium  and  CHROMIUM_PATH=/Applications/Chromium.app/Contents/MacOS/Chromium`;

/**
 * The label of the page the complaint is about (lib/export/complaint/model.ts `site`): the account
 * for a social profile ("instagram.com/jobcenter_musterstadt"), host and path for a link-in-bio
 * page ("linktr.ee/jobcenter_musterstadt"), the site otherwise ("stadt-musterstadt.de").
 */
export function complaintSiteOf(report: Pick<Report, 'url' | 'pageKind' | 'page'>): string {
  let u: URL;
  try {
    u = new URL(report.url);
  } catch {
    return report.url;
  }
  const host = u.hostname.replace(/^www\./, '');
  const handle = report.page.handle?.replace(/^@/, '');
  if (report.pageKind === 'social-profile' && handle) return `${host}/${handle}`;
  if (report.pageKind === 'link-in-bio') return `${host}${u.pathname.replace(/\/+$/, '')}`;
  return siteOfHost(u.hostname);
}
