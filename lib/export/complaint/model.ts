/**
 * The complaint-ready summary as one neutral document model (SPEC § 7.3, § 7.4; rules.json
 * `complaint.minimum_content`, `complaint.templates`). Markdown (lib/export/markdown.ts) and the
 * printable HTML page (lib/export/html.ts) both render this model, so they cannot disagree; it is
 * built by `buildComplaint` (build.ts) from one function per section (head.ts, evidence.ts,
 * closing.ts).
 *
 * The model holds plain text only. Everything in it that comes from a page (titles, handles,
 * URLs, cookie names, imprint snippets) is untrusted: renderers escape every string, and only
 * `href`s that pass `safeHref` become links. This module also holds the safe accessors the
 * section builders read reports with.
 */
import { BIDI_CONTROLS } from '../../page/bidi';
import type { CompetentAuthority, JobcenterType } from '../dpa/competence';
import type { ControllerGuess } from '../dpa/controller';
import type { Report } from '../../verdict/report';

export type Lang = 'de' | 'en';

export interface ComplaintInput {
  /** The site or presence complained about ("instagram.com/jobcenter_musterstadt"); a label. */
  site: string;
  /** The user's visits belonging to this complaint, any order. */
  reports: Report[];
  /**
   * How often each report's page was loaded (the history merges reloads with an unchanged report,
   * lib/history/coalesce.ts), parallel to `reports`; missing or invalid = once.
   */
  loads?: readonly number[];
  lang: Lang;
  /** The user's own account (user-reported, printed in a separate block). */
  userStatement?: string;
  /** Observation ids the user ticked (lib/verdict/user-reported.ts USER_OBSERVATIONS); unknown ids are ignored. */
  userObservations?: readonly string[];
  complainant?: { name?: string; address?: string; email?: string };
  /** Readable text of the controller's imprint / privacy notice (for the seat and the annexes). */
  imprintText?: string | null;
  privacyText?: string | null;
  /** From lib/verdict/authority.ts detectAuthority; wins over the guess from the imprint text. */
  jobcenterType?: JobcenterType | null;
  /** The page as the user saw it (a base64 data:image URL, JPEG from the popup and the CLI). */
  screenshot?: { dataUrl: string; takenAt: string } | null;
  /**
   * The files that go with the summary, each with the SHA-256 of its bytes, listed in the annexes
   * so that a summary sent alone still binds to them (lib/export/package.ts fills it).
   */
  attachments?: Attachment[];
  /** SHA-256 of `imprintText` / `privacyText` (UTF-8), listed beside the text snapshots. */
  textHashes?: { imprint?: string; privacy?: string };
  toolVersion: string;
  /** Creation time, ISO 8601 (or epoch ms), passed in: the model is pure. */
  now: string | number;
}

/** A file of the export that is not a summary: the screenshot, the HAR, the CSV tables. */
export interface Attachment {
  kind: 'screenshot' | 'har' | 'requests-csv' | 'cookies-csv';
  /** File name, as written next to the summary. */
  name: string;
  mediaType: string;
  bytes: number;
  /** SHA-256 (hex) of the file's bytes: what `sha256sum` prints. */
  sha256: string;
  /** Screenshot: when it was taken (ISO 8601). */
  takenAt?: string;
  /** HAR: its entries; CSV: its data rows. */
  rows?: number;
}

export interface TextItem {
  text: string;
  /** A link target; renderers only link it when `safeHref` accepts it. */
  href?: string;
  /** ISO 8601 timestamp the item is about. */
  at?: string;
}

export type Block =
  | { kind: 'paragraph'; text: string; tone?: 'note' | 'warning' }
  | { kind: 'fields'; rows: { label: string; value: string; href?: string; placeholder?: boolean }[] }
  | { kind: 'list'; items: TextItem[]; ordered?: boolean }
  | { kind: 'table'; caption?: string; columns: string[]; rows: string[][]; note?: string }
  /** An attachment shown in place, when the renderer is given its bytes (the print view, the PDF). */
  | { kind: 'image'; alt: string; file: string; caption: string };

export type SectionId =
  | 'complainant'
  | 'controller'
  | 'authority'
  | 'facts'
  | 'technical'
  | 'assessment'
  | 'user-reported'
  | 'request'
  | 'annexes'
  | 'disclaimer';

export interface Section {
  id: SectionId;
  heading: string;
  blocks: Block[];
}

export interface ComplaintFinding {
  id: string;
  severity: string;
  certainty: string;
  text: string;
  evidence: string;
  legal: string[];
  url: string;
  at: string;
}

export interface Complaint {
  format: 'datenschutz-ampel/complaint';
  version: 1;
  lang: Lang;
  createdAt: string;
  tool: { name: 'Datenschutz-Ampel'; version: string; rulesVersion: string };
  /** "Beschwerde nach Art. 77 DSGVO – …" */
  title: string;
  subtitle: string;
  site: string;
  controller: ControllerGuess;
  authority: CompetentAuthority;
  findings: ComplaintFinding[];
  /** Page visits in time order (url, visitedAt). */
  visits: { url: string; visitedAt: string; title: string }[];
  sections: Section[];
}

// ---------------------------------------------------------------------------------------------
// Plain-text hygiene shared by the renderers

/** C0/C1 controls (newlines are handled by the caller), zero-width characters and the bidi controls (lib/page/bidi.ts). */
const INVISIBLE = new RegExp(
  `[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u200B-\\u200D\\u2060-\\u2065\\uFEFF${BIDI_CONTROLS}]`,
  'g',
);

/**
 * Untrusted text as one clean line: invisible and control characters removed (bidi overrides can
 * reorder what a reader sees), all line breaks and runs of white space collapsed to one space,
 * capped at `max` code points with an ellipsis. Renderers escape the result for their syntax.
 */
export function cleanLine(x: unknown, max = 500): string {
  const s = typeof x === 'string' ? x : typeof x === 'number' && Number.isFinite(x) ? String(x) : '';
  const flat = s
    .slice(0, max * 4 + 16)
    .replace(INVISIBLE, '')
    .replace(/[\s\u2028\u2029\u0085]+/g, ' ')
    .trim();
  const cps = Array.from(flat);
  return cps.length > max
    ? `${cps
        .slice(0, Math.max(1, max - 1))
        .join('')
        .trimEnd()}…`
    : flat;
}

// ---------------------------------------------------------------------------------------------
// Safe accessors: reports come from storage and imports and may be partial or hostile.

const MAX_REPORTS = 50;
export const MAX_ROWS = 150;
export const MAX_STATEMENT = 10_000;

import { arr, obj, str } from '../untrusted';

export { arr, bool, num, obj, str } from '../untrusted';

/** A valid ISO timestamp, normalised to UTC "…Z"; '' when unparsable. */
export function isoOrEmpty(x: unknown): string {
  if (typeof x === 'number') return Number.isFinite(x) && Math.abs(x) < 8.64e15 ? new Date(x).toISOString() : '';
  if (typeof x !== 'string' || x.length > 40) return '';
  const t = Date.parse(x);
  return Number.isFinite(t) ? new Date(t).toISOString() : '';
}

/** http(s) and mailto links only; everything else (javascript:, data:, …) is rendered as text. */
export function safeHref(href: unknown): string | null {
  if (typeof href !== 'string' || href.length > 2_048) return null;
  if (/^mailto:[^\s<>"'`]+@[^\s<>"'`]+$/i.test(href)) return href;
  if (!/^https?:\/\//i.test(href)) return null;
  try {
    const u = new URL(href);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    if (u.username || u.password) return null;
    return u.href;
  } catch {
    return null;
  }
}

/**
 * What the Bavarian authority's upload form takes in all ("Anhänge möglichst als PDF, insgesamt
 * ca. 1,5 MB"); other authorities take a few MB. The export panel warns above it; the CLI's PDF of
 * the demo's authority profile stays below it (tests/e2e/audit-evidence.spec.ts).
 */
export const UPLOAD_LIMIT_BYTES = 1_500_000;

/** A file size for people: "850 B", "412 KB", "1.4 MB" ("1,4 MB" in German); 1 KB = 1,000 bytes. */
export function formatBytes(bytes: number, lang: Lang): string {
  const n = Number.isFinite(bytes) && bytes > 0 ? bytes : 0;
  if (n < 1_000) return `${Math.round(n)} B`;
  if (n < 1_000_000) return `${Math.round(n / 1_000)} KB`;
  const mb = (n / 1_000_000).toFixed(1);
  return `${lang === 'de' ? mb.replace('.', ',') : mb} MB`;
}

/** Code-point order: locale-independent, so the output is byte-stable everywhere. */
export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface Visit {
  url: string;
  visitedAt: string;
  title: string;
  /** How often the page was loaded with this report (≥ 1). */
  loads: number;
  report: Report;
}

export function visitsOf(reports: unknown, loads?: unknown): Visit[] {
  const out: Visit[] = [];
  const counts = arr(loads);
  for (const [i, raw] of arr(reports).slice(0, MAX_REPORTS).entries()) {
    const r = obj(raw);
    if (!Object.keys(r).length) continue;
    const page = obj(r.page);
    const n = counts[i];
    out.push({
      url: str(r.url),
      visitedAt: isoOrEmpty(r.visitedAt),
      title: str(page.profileName) || str(page.title),
      loads: typeof n === 'number' && Number.isInteger(n) && n > 1 ? n : 1,
      report: r as unknown as Report,
    });
  }
  // Time order; unparsable timestamps last, then by URL for a stable result.
  return out.sort((a, b) => cmp(a.visitedAt || '~', b.visitedAt || '~') || cmp(a.url, b.url));
}
