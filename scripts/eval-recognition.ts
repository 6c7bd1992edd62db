/**
 * The recognition evaluation: pages nobody tuned on (tests/fixtures/recognition/, README there),
 * each audited by the real built extension in a fresh headless Chromium profile — the same path as
 * the audit CLI — and compared with labels written before the code was changed: page kind,
 * platform, authority, verdict colour, and for websites the site's own channels.
 *
 *   npm run eval -- recognition                 both splits (tuning and the frozen test split)
 *   npm run eval -- recognition --freeze-split  once: picks the 30 % test split at random
 *   npm run eval -- recognition --blind         while tuning: the test split as figures only,
 *                                               without its misses (per-case file: tuning only)
 *
 * The test split is never tuned on: look at its misses only to report them.
 * `scoreRecognition()` is pure (tests/unit/eval/recognition-score.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULTS, type AuditOptions } from '../lib/cli/audit-args';
import type { Report } from '../lib/verdict/report';

export const RECOGNITION_DIR = path.resolve(import.meta.dirname, '../tests/fixtures/recognition');
const SPLIT_FILE = path.join(RECOGNITION_DIR, 'split.json');
export const TEST_SHARE = 0.3;

export type Colour = 'red' | 'yellow' | 'green' | 'grey';

export interface RecognitionCase {
  id: string;
  url: string;
  kind: 'profile' | 'link-page' | 'website';
  expect: {
    pageKind: 'social-profile' | 'link-in-bio' | 'website';
    platform: string | null;
    authority: boolean;
    verdict: Colour;
    compliant: boolean;
    ownChannels?: { id: string; url: string; namedInNotice: boolean }[];
    competentDpa?: string | null;
  };
  why: string;
  variant?: string;
}

/** What the extension said about a case (null fields: the audit failed). */
export interface RecognitionOutcome {
  id: string;
  error: string | null;
  pageKind: string | null;
  platform: string | null;
  authority: boolean | null;
  verdict: string | null;
  /** Own channels as `id:namedInNotice`, sorted; null when the report has no such field. */
  ownChannels: string[] | null;
  topFindings: string[];
}

export type Dimension = 'pageKind' | 'platform' | 'authority' | 'verdict' | 'ownChannels';
export const DIMENSIONS: readonly Dimension[] = ['pageKind', 'platform', 'authority', 'verdict', 'ownChannels'];

export interface SplitFigures {
  split: 'tuning' | 'test';
  cases: number;
  failedAudits: string[];
  /** Per dimension: correct / judged (ownChannels: websites with labelled channels only). */
  accuracy: Record<Dimension, { correct: number; judged: number }>;
  /** Cases labelled compliant (nothing red for a careful reviewer) that the extension judged red. */
  falseReds: string[];
  misses: { id: string; dimension: Dimension; expected: string; got: string }[];
}

export function channelKey(channels: readonly { id: string; namedInNotice: boolean }[]): string[] {
  return channels.map((c) => `${c.id}:${c.namedInNotice ? 'named' : 'not-named'}`).sort();
}

function expectedOf(c: RecognitionCase, d: Dimension): string | null {
  switch (d) {
    case 'pageKind':
      return c.expect.pageKind;
    case 'platform':
      return c.expect.platform ?? 'none';
    case 'authority':
      return String(c.expect.authority);
    case 'verdict':
      return c.expect.verdict;
    case 'ownChannels':
      return c.kind === 'website' && c.expect.ownChannels ? channelKey(c.expect.ownChannels).join(' ') : null;
  }
}

function gotOf(o: RecognitionOutcome, d: Dimension): string {
  switch (d) {
    case 'pageKind':
      return o.pageKind ?? '(none)';
    case 'platform':
      return o.platform ?? 'none';
    case 'authority':
      return o.authority === null ? '(none)' : String(o.authority);
    case 'verdict':
      return o.verdict ?? '(none)';
    case 'ownChannels':
      return o.ownChannels ? o.ownChannels.join(' ') : '(not reported)';
  }
}

/** Scores one split. A failed audit counts as wrong in every dimension it was labelled in. */
export function scoreRecognition(
  cases: readonly RecognitionCase[],
  outcomes: ReadonlyMap<string, RecognitionOutcome>,
  split: SplitFigures['split'],
): SplitFigures {
  const accuracy = Object.fromEntries(
    DIMENSIONS.map((d) => [d, { correct: 0, judged: 0 }]),
  ) as SplitFigures['accuracy'];
  const figures: SplitFigures = { split, cases: cases.length, failedAudits: [], accuracy, falseReds: [], misses: [] };
  for (const c of cases) {
    const o = outcomes.get(c.id);
    if (!o || o.error) figures.failedAudits.push(c.id);
    for (const d of DIMENSIONS) {
      const expected = expectedOf(c, d);
      if (expected === null) continue;
      accuracy[d].judged++;
      const got = o ? gotOf(o, d) : '(not audited)';
      if (got === expected) accuracy[d].correct++;
      else figures.misses.push({ id: c.id, dimension: d, expected, got });
    }
    if (c.expect.compliant && o?.verdict === 'red') figures.falseReds.push(c.id);
  }
  return figures;
}

export function outcomeOf(id: string, report: Report | null, error: string | null): RecognitionOutcome {
  const own = (report as { ownChannels?: { id: string; namedInNotice: boolean }[] } | null)?.ownChannels;
  return {
    id,
    error,
    pageKind: report?.pageKind ?? null,
    platform: report?.platform ?? null,
    authority: report ? report.authority.isAuthority : null,
    verdict: report?.verdict ?? null,
    ownChannels: Array.isArray(own) ? channelKey(own) : null,
    topFindings: report ? report.findings.filter((f) => f.severity !== 'info').map((f) => `${f.id}:${f.severity}`) : [],
  };
}

export function loadCases(dir = RECOGNITION_DIR): RecognitionCase[] {
  return JSON.parse(readFileSync(path.join(dir, 'cases.json'), 'utf8')) as RecognitionCase[];
}

export interface FrozenSplit {
  frozenAt: string;
  seed: string;
  method: string;
  test: string[];
}

export function loadSplit(file = SPLIT_FILE): FrozenSplit | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as FrozenSplit) : null;
}

/** A small deterministic PRNG (mulberry32) so the recorded seed reproduces the split. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 30 % of each stratum (kind × platform) at random, rounded so that the whole split is ~30 %:
 * every platform keeps cases on both sides.
 */
export function chooseTestSplit(cases: readonly RecognitionCase[], seedHex: string): string[] {
  const random = prng(Number.parseInt(seedHex.slice(0, 8), 16));
  const strata = new Map<string, string[]>();
  for (const c of cases) {
    const key = `${c.kind}/${c.expect.platform ?? 'none'}`;
    strata.set(key, [...(strata.get(key) ?? []), c.id]);
  }
  const test: string[] = [];
  let carry = 0;
  for (const key of [...strata.keys()].sort()) {
    const ids = [...strata.get(key)!].sort();
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    const exact = ids.length * TEST_SHARE + carry;
    const take = Math.min(ids.length - 1, Math.max(0, Math.round(exact)));
    carry = exact - take;
    test.push(...ids.slice(0, take));
  }
  return test.sort();
}

const pct = (n: number, d: number) => (d === 0 ? '   –  ' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);

export function formatRecognition(figures: readonly SplitFigures[], blind = false): string {
  const lines: string[] = [];
  lines.push(
    `${'split'.padEnd(8)}${'cases'.padStart(6)}  ${DIMENSIONS.map((d) => d.padStart(14)).join('')}  false reds`,
  );
  for (const f of figures) {
    lines.push(
      `${f.split.padEnd(8)}${String(f.cases).padStart(6)}  ` +
        DIMENSIONS.map((d) =>
          `${pct(f.accuracy[d].correct, f.accuracy[d].judged)} ${`${f.accuracy[d].correct}/${f.accuracy[d].judged}`.padStart(5)}`.padStart(
            14,
          ),
        ).join('') +
        `  ${f.falseReds.length}`,
    );
  }
  for (const f of figures) {
    if (blind && f.split === 'test') {
      lines.push('', `test: ${f.misses.length} misses, ${f.falseReds.length} false reds (--blind: not listed)`);
      continue;
    }
    lines.push(
      '',
      `${f.split}: ${f.misses.length === 0 ? 'no misses' : `${f.misses.length} misses`}${f.failedAudits.length ? `, failed audits: ${f.failedAudits.join(', ')}` : ''}`,
    );
    if (f.falseReds.length) lines.push(`  false reds: ${f.falseReds.join(', ')}`);
    for (const m of f.misses) lines.push(`  - ${m.id} · ${m.dimension}: expected ${m.expected}, got ${m.got}`);
  }
  return lines.join('\n');
}

async function auditAll(
  cases: readonly RecognitionCase[],
  jobs: number,
  blind: boolean,
): Promise<Map<string, RecognitionOutcome>> {
  const { startFixtureServer } = await import('../tests/e2e/fixture-server');
  const { ensureBuilt, findChromium, runAudit } = await import('./audit');
  const chromium = findChromium();
  if (!chromium) throw new Error('no Chromium (set CHROMIUM_PATH or apt-get install chromium)');
  ensureBuilt();
  const web = await startFixtureServer({ sitesDir: path.join(RECOGNITION_DIR, 'sites') });
  try {
    const options: AuditOptions = {
      ...DEFAULTS,
      urls: cases.map((c) => c.url),
      jobs,
      hostRules: `MAP * 127.0.0.1:${web.httpPort}, EXCLUDE localhost`,
      insecure: true,
    };
    // Progress names each URL and its verdict: with --blind only a count, so the test split's
    // verdicts stay unseen while tuning.
    let done = 0;
    const quiet = {
      stdout: () => undefined,
      stderr: (t: string) => {
        if (t.startsWith('\n')) return;
        if (!blind) process.stderr.write(t);
        else if (/^\(\d+\/\d+\)/.test(t))
          process.stderr.write(`\raudited ${++done} of ${cases.length}${done === cases.length ? '\n' : ''}`);
      },
    };
    const { results } = await runAudit(options, chromium, quiet);
    const outcomes = new Map<string, RecognitionOutcome>();
    cases.forEach((c, i) => {
      const r = results[i];
      outcomes.set(c.id, r?.ok ? outcomeOf(c.id, r.report, null) : outcomeOf(c.id, null, r ? r.error : 'not audited'));
    });
    return outcomes;
  } finally {
    await web.close();
  }
}

export async function runRecognitionEval(argv: readonly string[]): Promise<number> {
  const cases = loadCases();
  if (argv.includes('--freeze-split')) {
    if (loadSplit()) {
      process.stderr.write(`${SPLIT_FILE} exists: the test split is frozen and is never chosen again.\n`);
      return 64;
    }
    const seed = randomBytes(4).toString('hex');
    const split: FrozenSplit = {
      frozenAt: new Date().toISOString(),
      seed,
      method: `scripts/eval-recognition.ts chooseTestSplit: ${TEST_SHARE * 100} % per stratum (kind × platform), mulberry32(seed)`,
      test: chooseTestSplit(cases, seed),
    };
    writeFileSync(SPLIT_FILE, `${JSON.stringify(split, null, 2)}\n`);
    process.stdout.write(`Froze ${split.test.length} of ${cases.length} cases as the test split (seed ${seed}).\n`);
    return 0;
  }
  const split = loadSplit();
  if (!split) {
    process.stderr.write(
      'No frozen test split yet: run `npm run eval -- recognition --freeze-split` once, before tuning.\n',
    );
    return 64;
  }
  const jobsArg = argv.find((a) => a.startsWith('--jobs='));
  const blind = argv.includes('--blind');
  const outcomes = await auditAll(cases, jobsArg ? Number(jobsArg.slice(7)) : 2, blind);
  const testIds = new Set(split.test);
  const figures = [
    scoreRecognition(
      cases.filter((c) => !testIds.has(c.id)),
      outcomes,
      'tuning',
    ),
    scoreRecognition(
      cases.filter((c) => testIds.has(c.id)),
      outcomes,
      'test',
    ),
  ];
  process.stdout.write(
    `\nRecognition: ${cases.length} pages (${cases.length - testIds.size} tuning, ${testIds.size} test, frozen ${split.frozenAt.slice(0, 10)})\n`,
  );
  process.stdout.write(`${formatRecognition(figures, blind)}\n`);
  const outDir = path.resolve(import.meta.dirname, '../eval-output');
  mkdirSync(outDir, { recursive: true });
  const shown = [...outcomes.values()].filter((o) => !blind || !testIds.has(o.id));
  writeFileSync(
    path.join(outDir, 'recognition.json'),
    `${JSON.stringify({ figures: blind ? figures.filter((f) => f.split === 'tuning') : figures, outcomes: shown }, null, 2)}\n`,
  );
  process.stdout.write(`(per-case outcomes in eval-output/recognition.json)\n`);
  return 0;
}
