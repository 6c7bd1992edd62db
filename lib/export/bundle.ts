/**
 * The evidence bundle: one JSON file that goes with a complaint (SPEC § 7.3 "evidence":
 * third-party host list, cookies before consent, text snapshots + SHA-256, screenshot, tool and
 * rules version; rules.json `complaint.minimum_content[technical_evidence]`,
 * `complaint.export_json_schema.evidence[sha256]`).
 *
 * Each piece of evidence carries its SHA-256 (hex) so that the recipient can check it was not
 * changed after export: text snapshots over their UTF-8 bytes, the screenshot over its decoded
 * image bytes (so the hash equals `sha256sum` of the saved PNG), the reports over a canonical
 * JSON form (keys sorted). `verifyBundle` recomputes all of them.
 *
 * Uses `crypto.subtle.digest` (service worker, pages, Node 22). Never throws.
 */
import type { ControllerGuess } from './dpa/controller';
import { RULES_VERSION, type Report } from '../verdict/report';
import { buildComplaint } from './complaint/build';
import { type ComplaintInput, cmp, isoOrEmpty } from './complaint/model';

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

export interface EvidenceBundle {
  format: 'datenschutz-ampel/evidence-bundle';
  version: 1;
  createdAt: string;
  site: string;
  tool: { name: 'Datenschutz-Ampel'; version: string; rulesVersion: string };
  hashAlgorithm: 'SHA-256';
  controller: ControllerGuess;
  competentAuthority: { id: string; name: string; reason: string; hook: string; certainty: string; alternatives: string[] };
  /** The page-visit reports, oldest first (docs/report-schema.json). */
  reports: Report[];
  /** SHA-256 of canonicalJson(reports). */
  reportsSha256: string;
  requests: RequestRow[];
  cookies: CookieRow[];
  snapshots: { imprint: TextSnapshot | null; privacy: TextSnapshot | null };
  screenshot: { dataUrl: string; takenAt: string; sha256: string; hashOf: 'image-bytes' | 'data-url' } | null;
  /** The user's own statements, kept apart from what was recorded (certainty 'user-reported'). */
  userStatements: { text: string; markedAs: 'user-reported'; sha256: string }[];
}

export type BundleInput = ComplaintInput;

// ---------------------------------------------------------------------------------------------

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  let out = '';
  for (const b of new Uint8Array(digest)) out += HEX[b];
  return out;
}

/** JSON with object keys sorted at every level, so a re-serialised bundle hashes the same. */
export function canonicalJson(value: unknown): string {
  const seen = new WeakSet<object>();
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return null;
    seen.add(v);
    const out = Array.isArray(v) ? v.map(walk) : Object.fromEntries(Object.keys(v).sort().map((k) => [k, walk((v as Record<string, unknown>)[k])]));
    seen.delete(v);
    return out;
  };
  try {
    return JSON.stringify(walk(value)) ?? 'null';
  } catch {
    return 'null';
  }
}

const DATA_URL = /^data:([a-z]+\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/]+=*)$/i;

/** The bytes of a base64 data: URL, or null when it is not one. */
function dataUrlBytes(dataUrl: string): Uint8Array | null {
  const m = DATA_URL.exec(dataUrl);
  if (!m?.[2]) return null;
  try {
    const bin = atob(m[2]);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

async function screenshotHash(dataUrl: string): Promise<{ sha256: string; hashOf: 'image-bytes' | 'data-url' }> {
  const bytes = dataUrlBytes(dataUrl);
  return bytes ? { sha256: await sha256Hex(bytes), hashOf: 'image-bytes' } : { sha256: await sha256Hex(dataUrl), hashOf: 'data-url' };
}

const MAX_SNAPSHOT = 2_000_000;
const obj = (x: unknown): Record<string, unknown> => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : {});
const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const s = (x: unknown): string => (typeof x === 'string' ? x : '');
const sOrNull = (x: unknown): string | null => (typeof x === 'string' ? x : null);
const n = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);

async function snapshot(text: unknown): Promise<TextSnapshot | null> {
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
  return out.sort((a, b) => cmp(isoOrEmpty(a.visitedAt) || '~', isoOrEmpty(b.visitedAt) || '~') || cmp(s(a.url), s(b.url)));
}

/** Builds the evidence bundle (async: hashing). Never rejects. */
export async function buildEvidenceBundle(input: BundleInput): Promise<EvidenceBundle> {
  const inp = obj(input) as Partial<BundleInput>;
  const complaint = buildComplaint(input);
  const reports = plainReports(inp.reports);
  const requests: RequestRow[] = [];
  const cookies: CookieRow[] = [];
  for (const r of reports) {
    const page = s(r.url);
    const visitedAt = s(r.visitedAt);
    for (const h of arr(obj(r.requests).thirdPartyHosts).map(obj))
      requests.push({
        page,
        visitedAt,
        host: s(h.host),
        requests: n(h.requests),
        owner: sOrNull(h.owner),
        country: sOrNull(h.country),
        serverCountries: arr(h.serverCountries).filter((c): c is string => typeof c === 'string'),
        category: s(h.category),
        service: sOrNull(h.service),
        firstSeenAt: s(h.firstSeenAt),
      });
    for (const c of arr(obj(r.cookies).items).map(obj))
      cookies.push({
        page,
        visitedAt,
        name: s(c.name),
        domain: s(c.domain),
        thirdParty: c.thirdParty === true,
        session: c.session === true,
        lifetimeSeconds: typeof c.lifetimeSeconds === 'number' && Number.isFinite(c.lifetimeSeconds) ? c.lifetimeSeconds : null,
        beforeInteraction: c.beforeInteraction === true,
      });
  }

  const shot = obj(inp.screenshot);
  const shotUrl = typeof shot.dataUrl === 'string' && shot.dataUrl.length <= 20_000_000 ? shot.dataUrl : '';
  const statement = typeof inp.userStatement === 'string' ? inp.userStatement.trim().slice(0, 10_000) : '';
  const a = complaint.authority;

  return {
    format: 'datenschutz-ampel/evidence-bundle',
    version: 1,
    createdAt: complaint.createdAt,
    site: complaint.site,
    tool: { name: 'Datenschutz-Ampel', version: complaint.tool.version, rulesVersion: RULES_VERSION },
    hashAlgorithm: 'SHA-256',
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
    snapshots: { imprint: await snapshot(inp.imprintText), privacy: await snapshot(inp.privacyText) },
    screenshot: shotUrl ? { dataUrl: shotUrl, takenAt: isoOrEmpty(shot.takenAt), ...(await screenshotHash(shotUrl)) } : null,
    userStatements: statement ? [{ text: statement, markedAs: 'user-reported', sha256: await sha256Hex(statement) }] : [],
  };
}

/**
 * Recomputes every hash in a bundle (e.g. one read back from a file). `mismatches` names the
 * parts whose content no longer matches its hash, or what is malformed. Never rejects.
 */
export async function verifyBundle(bundle: unknown): Promise<{ ok: boolean; mismatches: string[] }> {
  const mismatches: string[] = [];
  try {
    const b = obj(bundle);
    if (b.format !== 'datenschutz-ampel/evidence-bundle' || b.version !== 1) mismatches.push('format');
    if (!Array.isArray(b.reports) || (await sha256Hex(canonicalJson(b.reports))) !== b.reportsSha256) mismatches.push('reports');
    const snaps = obj(b.snapshots);
    for (const key of ['imprint', 'privacy'] as const) {
      const snap = snaps[key];
      if (snap === null || snap === undefined) continue;
      const o = obj(snap);
      if (typeof o.text !== 'string' || (await sha256Hex(o.text)) !== o.sha256) mismatches.push(`snapshots.${key}`);
    }
    if (b.screenshot !== null && b.screenshot !== undefined) {
      const o = obj(b.screenshot);
      const h = typeof o.dataUrl === 'string' ? await screenshotHash(o.dataUrl) : null;
      if (!h || h.sha256 !== o.sha256 || h.hashOf !== o.hashOf) mismatches.push('screenshot');
    }
    const statements = arr(b.userStatements);
    for (let i = 0; i < statements.length; i++) {
      const o = obj(statements[i]);
      if (typeof o.text !== 'string' || (await sha256Hex(o.text)) !== o.sha256) mismatches.push(`userStatements.${i}`);
    }
  } catch {
    mismatches.push('unreadable');
  }
  return { ok: mismatches.length === 0, mismatches };
}
