/**
 * The evidence bundle: one JSON file that goes with a complaint (SPEC § 7.3 "evidence":
 * third-party host list, cookies before consent, text snapshots + SHA-256, screenshot, tool and
 * rules version; rules.json `complaint.minimum_content[technical_evidence]`,
 * `complaint.export_json_schema.evidence[sha256]`).
 *
 * Hashes run in one direction: the attachments (screenshot, HAR, CSV tables) are hashed first,
 * the summaries (Markdown, HTML, PDF) list those hashes, and this bundle lists the hashes of
 * everything, the summaries included (`files`); nothing lists the bundle's own hash. Every file
 * hash is SHA-256 over the file's bytes, so it equals `sha256sum FILE`. Text snapshots and
 * statements are hashed over their UTF-8 text, the reports over their RFC 8785 (JCS) form
 * (lib/export/jcs.ts; the bundle names it in `canonicalization`), so any JCS implementation
 * reproduces `reportsSha256`.
 *
 * Version 2 (this one): the screenshot is a separate JPEG file listed in `files` instead of a
 * base64 data URL inside the bundle, and `files` and `canonicalization` are new. `verifyBundle`
 * still checks version 1 bundles.
 *
 * Uses lib/history/sha256.ts (crypto.subtle). Never throws.
 */
import type { ControllerGuess } from './dpa/controller';
import { RULES_VERSION, type Report } from '../verdict/report';
import { sha256Hex } from '../history/sha256';
import { buildComplaint } from './complaint/build';
import { type Attachment, type ComplaintInput, cmp, isoOrEmpty } from './complaint/model';
import { canonicalJson } from './jcs';
import { arr, num, obj, text, textOrNull } from './untrusted';
import { observationTexts } from './complaint/user-reported';

export interface TextSnapshot {
  text: string;
  /** UTF-16 length, as JavaScript counts it. */
  length: number;
  sha256: string;
}

/** A report's third-party host row, with the page and visit it belongs to. */
export type RequestRow = { page: string; visitedAt: string } & Report['requests']['thirdPartyHosts'][number];

export interface CookieRow {
  page: string;
  visitedAt: string;
  name: string;
  domain: string;
  thirdParty: boolean;
  session: boolean;
  lifetimeSeconds: number | null;
  beforeInteraction: boolean;
}

/** A file of the export listed in the bundle: a summary or an attachment, with the SHA-256 of its bytes. */
export interface BundleFile {
  name: string;
  role: 'summary' | 'attachment';
  kind: Attachment['kind'] | 'summary-md' | 'summary-html' | 'summary-pdf';
  mediaType: string;
  bytes: number;
  sha256: string;
  takenAt?: string;
  rows?: number;
}

export const CANONICALIZATION = 'RFC 8785 (JCS)';

export interface EvidenceBundle {
  format: 'datenschutz-ampel/evidence-bundle';
  version: 2;
  createdAt: string;
  site: string;
  tool: { name: 'Datenschutz-Ampel'; version: string; rulesVersion: string };
  hashAlgorithm: 'SHA-256';
  /** How JSON values (the reports) are serialised before hashing. */
  canonicalization: typeof CANONICALIZATION;
  controller: ControllerGuess;
  competentAuthority: {
    id: string;
    name: string;
    reason: string;
    hook: string;
    certainty: string;
    alternatives: string[];
  };
  /** The page-visit reports, oldest first (docs/report-schema.json). */
  reports: Report[];
  /** SHA-256 of the reports' RFC 8785 (JCS) form. */
  reportsSha256: string;
  requests: RequestRow[];
  cookies: CookieRow[];
  snapshots: { imprint: TextSnapshot | null; privacy: TextSnapshot | null };
  /** Every other file of this export, summaries included (the screenshot is one of them). */
  files: BundleFile[];
  /** The user's own statements, kept apart from what was recorded (certainty 'user-reported'). */
  userStatements: { text: string; markedAs: 'user-reported'; sha256: string }[];
}

export type BundleInput = ComplaintInput;

// ---------------------------------------------------------------------------------------------

const DATA_URL = /^data:([a-z]+\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/]+=*)$/i;

/** The media type and bytes of a base64 data: URL, or null when it is not one. */
export function dataUrlBytes(dataUrl: string): { mediaType: string; bytes: Uint8Array } | null {
  const m = DATA_URL.exec(dataUrl);
  if (!m?.[2]) return null;
  try {
    const bin = atob(m[2]);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return { mediaType: m[1]!.toLowerCase(), bytes };
  } catch {
    return null;
  }
}

/** Version 1 bundles carried the screenshot inline, hashed over its decoded bytes (or the URL). */
async function v1ScreenshotHash(dataUrl: string): Promise<{ sha256: string; hashOf: 'image-bytes' | 'data-url' }> {
  const decoded = dataUrlBytes(dataUrl);
  return decoded
    ? { sha256: await sha256Hex(decoded.bytes), hashOf: 'image-bytes' }
    : { sha256: await sha256Hex(dataUrl), hashOf: 'data-url' };
}

const MAX_SNAPSHOT = 2_000_000;

/** A text as the bundle keeps it (capped) with the SHA-256 of its UTF-8 bytes; null for no text. */
export async function textSnapshot(text: unknown): Promise<TextSnapshot | null> {
  if (typeof text !== 'string' || !text) return null;
  const t = text.slice(0, MAX_SNAPSHOT);
  return { text: t, length: t.length, sha256: await sha256Hex(t) };
}

/** Plain JSON copies of the reports, oldest first; anything that does not serialise is dropped. */
function plainReports(reports: unknown): Report[] {
  const out: Report[] = [];
  for (const r of arr(reports).slice(0, 50)) {
    if (!r || typeof r !== 'object') continue;
    try {
      out.push(JSON.parse(canonicalJson(r)) as Report);
    } catch {
      // not serialisable: skip
    }
  }
  return out.sort(
    (a, b) => cmp(isoOrEmpty(a.visitedAt) || '~', isoOrEmpty(b.visitedAt) || '~') || cmp(text(a.url), text(b.url)),
  );
}

const FILE_KINDS = new Set<BundleFile['kind']>([
  'screenshot',
  'har',
  'requests-csv',
  'cookies-csv',
  'summary-md',
  'summary-html',
  'summary-pdf',
]);

function cleanFiles(files: unknown): BundleFile[] {
  const out: BundleFile[] = [];
  for (const f of arr(files).slice(0, 30).map(obj)) {
    if (
      typeof f.name !== 'string' ||
      !f.name ||
      typeof f.sha256 !== 'string' ||
      !/^[0-9a-f]{64}$/.test(f.sha256) ||
      !FILE_KINDS.has(f.kind as BundleFile['kind'])
    )
      continue;
    out.push({
      name: f.name.slice(0, 200),
      role: f.role === 'summary' ? 'summary' : 'attachment',
      kind: f.kind as BundleFile['kind'],
      mediaType: text(f.mediaType),
      bytes: num(f.bytes),
      sha256: f.sha256,
      ...(typeof f.takenAt === 'string' && isoOrEmpty(f.takenAt) ? { takenAt: isoOrEmpty(f.takenAt) } : {}),
      ...(typeof f.rows === 'number' ? { rows: num(f.rows) } : {}),
    });
  }
  return out;
}

/**
 * Builds the evidence bundle (async: hashing). `files` are the other files of the export with
 * their hashes (lib/export/package.ts). Never rejects.
 */
export async function buildEvidenceBundle(
  input: BundleInput,
  files: readonly BundleFile[] = [],
): Promise<EvidenceBundle> {
  const inp = obj(input) as Partial<BundleInput>;
  const complaint = buildComplaint(input);
  const reports = plainReports(inp.reports);
  const requests: RequestRow[] = [];
  const cookies: CookieRow[] = [];
  for (const r of reports) {
    const page = text(r.url);
    const visitedAt = text(r.visitedAt);
    for (const h of arr(obj(r.requests).thirdPartyHosts).map(obj))
      requests.push({
        page,
        visitedAt,
        host: text(h.host),
        requests: num(h.requests),
        owner: textOrNull(h.owner),
        country: textOrNull(h.country),
        serverCountries: arr(h.serverCountries).filter((c): c is string => typeof c === 'string'),
        category: text(h.category),
        service: textOrNull(h.service),
        firstSeenAt: text(h.firstSeenAt),
      });
    for (const c of arr(obj(r.cookies).items).map(obj))
      cookies.push({
        page,
        visitedAt,
        name: text(c.name),
        domain: text(c.domain),
        thirdParty: c.thirdParty === true,
        session: c.session === true,
        lifetimeSeconds:
          typeof c.lifetimeSeconds === 'number' && Number.isFinite(c.lifetimeSeconds) ? c.lifetimeSeconds : null,
        beforeInteraction: c.beforeInteraction === true,
      });
  }

  const statement = typeof inp.userStatement === 'string' ? inp.userStatement.trim().slice(0, 10_000) : '';
  const a = complaint.authority;

  return {
    format: 'datenschutz-ampel/evidence-bundle',
    version: 2,
    createdAt: complaint.createdAt,
    site: complaint.site,
    tool: { name: 'Datenschutz-Ampel', version: complaint.tool.version, rulesVersion: RULES_VERSION },
    hashAlgorithm: 'SHA-256',
    canonicalization: CANONICALIZATION,
    controller: complaint.controller,
    competentAuthority: {
      id: a.primary.id,
      name: a.primary.label ? a.primary.label[complaint.lang] : a.primary.name,
      reason: a.reason[complaint.lang],
      hook: a.hook,
      certainty: a.certainty,
      alternatives: a.alternatives.map((d) => d.id),
    },
    reports,
    reportsSha256: await sha256Hex(canonicalJson(reports)),
    requests,
    cookies,
    snapshots: { imprint: await textSnapshot(inp.imprintText), privacy: await textSnapshot(inp.privacyText) },
    files: cleanFiles(files),
    // The ticked observations (in the complaint's language), then the free text: all the user's own.
    userStatements: await Promise.all(
      [...observationTexts(inp.userObservations, complaint.lang), ...(statement ? [statement] : [])].map(
        async (text) => ({ text, markedAs: 'user-reported' as const, sha256: await sha256Hex(text) }),
      ),
    ),
  };
}

/**
 * Recomputes every hash in a bundle (e.g. one read back from a file), version 2 or 1. `files`
 * (name -> bytes) are the export's other files as received: each listed file that is given is
 * checked against its hash, a listed file not given is named in `unchecked`. `mismatches` names
 * the parts whose content no longer matches its hash, or what is malformed. Never rejects.
 */
export async function verifyBundle(
  bundle: unknown,
  files: Readonly<Record<string, Uint8Array>> = {},
): Promise<{ ok: boolean; mismatches: string[]; unchecked: string[] }> {
  const mismatches: string[] = [];
  const unchecked: string[] = [];
  try {
    const b = obj(bundle);
    const version = b.version;
    if (b.format !== 'datenschutz-ampel/evidence-bundle' || (version !== 1 && version !== 2)) mismatches.push('format');
    if (version === 2 && b.canonicalization !== CANONICALIZATION) mismatches.push('canonicalization');
    if (!Array.isArray(b.reports) || (await sha256Hex(canonicalJson(b.reports))) !== b.reportsSha256)
      mismatches.push('reports');
    const snaps = obj(b.snapshots);
    for (const key of ['imprint', 'privacy'] as const) {
      const snap = snaps[key];
      if (snap === null || snap === undefined) continue;
      const o = obj(snap);
      if (typeof o.text !== 'string' || (await sha256Hex(o.text)) !== o.sha256) mismatches.push(`snapshots.${key}`);
    }
    if (version === 1 && b.screenshot !== null && b.screenshot !== undefined) {
      const o = obj(b.screenshot);
      const h = typeof o.dataUrl === 'string' ? await v1ScreenshotHash(o.dataUrl) : null;
      if (!h || h.sha256 !== o.sha256 || h.hashOf !== o.hashOf) mismatches.push('screenshot');
    }
    if (version === 2) {
      if (!Array.isArray(b.files)) mismatches.push('files');
      for (const f of arr(b.files).map(obj)) {
        const name = text(f.name);
        const data = name && Object.hasOwn(files, name) ? files[name] : undefined;
        if (!data) unchecked.push(name || '?');
        else if ((await sha256Hex(data)) !== f.sha256 || data.byteLength !== f.bytes) mismatches.push(`files.${name}`);
      }
    }
    const statements = arr(b.userStatements);
    for (let i = 0; i < statements.length; i++) {
      const o = obj(statements[i]);
      if (typeof o.text !== 'string' || (await sha256Hex(o.text)) !== o.sha256) mismatches.push(`userStatements.${i}`);
    }
  } catch {
    mismatches.push('unreadable');
  }
  return { ok: mismatches.length === 0, mismatches, unchecked };
}
