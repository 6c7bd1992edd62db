/**
 * Pure encoder for the IP -> country table (format documented in lib/parties/ip-country.ts). No fs, so
 * tests can run it in-process on the CSVs from node_modules or on small synthetic inputs.
 *
 * Input CSV rows are `start,end,CC` with inclusive textual addresses (the `-ipv4.csv` and
 * `-ipv6.csv` files of @ip-location-db/geo-whois-asn-country).
 */
import {
  IP_COUNTRY_HEADER_SIZE,
  IP_COUNTRY_MAGIC,
  IP_COUNTRY_MAX_GAPS,
  IP_COUNTRY_SOURCE_TAG_SIZE,
  IP_COUNTRY_VERSION,
  SPECIAL_V4_CIDRS,
  SPECIAL_V6_CIDRS,
  ipv4CidrRange,
  ipv6Cidr,
  parseIpv4,
  parseIpv6Words,
} from '../lib/parties/ip-country';

/** Inclusive range in a key space of 0..max; cc '' means "no country". */
export interface KeyRange {
  start: bigint;
  end: bigint;
  cc: string;
}

export interface ResolvedRanges {
  /** Ascending starts; the first is 0. Range i runs to starts[i+1]-1 (the last to max). */
  starts: bigint[];
  /** Country per range, '' = none. */
  codes: string[];
}

export const V4_MAX = 0xffffffffn;
export const V6_MAX = 0xffffffffffffffffn;

const CC_RE = /^[A-Z]{2}$/;

/** Parses `start,end,CC` lines of one address family into key ranges (IPv6: upper 64 bits). */
export function parseCsvRanges(text: string, family: 4 | 6): KeyRange[] {
  const out: KeyRange[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const cols = line.split(',');
    const cc = (cols[2] ?? '').trim().toUpperCase();
    if (cols.length !== 3 || !CC_RE.test(cc)) throw new Error(`IPv${family} CSV line ${i + 1}: bad row "${line}"`);
    let start: bigint;
    let end: bigint;
    if (family === 4) {
      const s = parseIpv4(cols[0]!);
      const e = parseIpv4(cols[1]!);
      if (s === null || e === null) throw new Error(`IPv4 CSV line ${i + 1}: bad address in "${line}"`);
      start = BigInt(s);
      end = BigInt(e);
    } else {
      const s = parseIpv6Words(cols[0]!);
      const e = parseIpv6Words(cols[1]!);
      if (!s || !e) throw new Error(`IPv6 CSV line ${i + 1}: bad address in "${line}"`);
      start = (BigInt(s[0]) << 32n) | BigInt(s[1]);
      end = (BigInt(e[0]) << 32n) | BigInt(e[1]);
    }
    if (end < start) throw new Error(`IPv${family} CSV line ${i + 1}: end before start in "${line}"`);
    out.push({ start, end, cc });
  }
  return out;
}

/** Special-purpose blocks as clip ranges in the table's key space (IPv6: /64 granularity). */
export function specialClipRanges(family: 4 | 6): KeyRange[] {
  if (family === 4) {
    return SPECIAL_V4_CIDRS.map((c) => {
      const [s, e] = ipv4CidrRange(c);
      return { start: BigInt(s), end: BigInt(e), cc: '' };
    });
  }
  return SPECIAL_V6_CIDRS.map((c) => {
    const { w, bits } = ipv6Cidr(c);
    const hi = (BigInt(w[0]) << 32n) | BigInt(w[1]);
    if (bits >= 64) return { start: hi, end: hi, cc: '' };
    const mask = (1n << BigInt(64 - bits)) - 1n;
    return { start: hi & ~mask, end: (hi & ~mask) | mask, cc: '' };
  });
}

function lowerBound(arr: BigUint64Array, x: bigint): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Flattens possibly overlapping ranges into disjoint ones covering 0..max. Clip ranges always
 * win (they become "no country"); among data rows the narrowest covering range wins, ties
 * broken by lower start, then country code, so the output does not depend on input order.
 */
export function resolveRanges(rows: readonly KeyRange[], clips: readonly KeyRange[], max: bigint): ResolvedRanges {
  const all = [...clips, ...rows];
  for (const r of all) {
    if (r.start < 0n || r.end > max || r.end < r.start) throw new Error(`range out of bounds: ${r.start}-${r.end}`);
  }
  // Elementary segments between all boundaries.
  const pts = new BigUint64Array(all.length * 2 + 1);
  let np = 0;
  pts[np++] = 0n;
  for (const r of all) {
    pts[np++] = r.start;
    if (r.end < max) pts[np++] = r.end + 1n;
  }
  const sorted = pts.subarray(0, np).sort();
  let nu = 0;
  for (let i = 0; i < np; i++) if (i === 0 || sorted[i] !== sorted[nu - 1]) sorted[nu++] = sorted[i]!;
  const seg = sorted.slice(0, nu);

  // Paint segments, highest priority first, skipping painted ones via a "next unpainted" forest.
  const owner = new Array<string | undefined>(nu);
  const next = new Int32Array(nu + 1);
  for (let i = 0; i <= nu; i++) next[i] = i;
  const find = (i: number): number => {
    let r = i;
    while (next[r] !== r) r = next[r]!;
    while (next[i] !== r) {
      const n = next[i]!;
      next[i] = r;
      i = n;
    }
    return r;
  };
  const paint = (r: KeyRange): void => {
    const a = lowerBound(seg, r.start);
    const b = r.end === max ? nu - 1 : lowerBound(seg, r.end + 1n) - 1;
    for (let i = find(a); i <= b; i = find(i)) {
      owner[i] = r.cc;
      next[i] = i + 1;
    }
  };
  for (const c of clips) paint({ ...c, cc: '' });
  const ordered = rows
    .map((r) => ({ r, w: r.end - r.start }))
    .sort((x, y) =>
      x.w !== y.w
        ? x.w < y.w
          ? -1
          : 1
        : x.r.start !== y.r.start
          ? x.r.start < y.r.start
            ? -1
            : 1
          : x.r.cc < y.r.cc
            ? -1
            : x.r.cc > y.r.cc
              ? 1
              : 0,
    );
  for (const { r } of ordered) paint(r);

  // Merge neighbours with the same country.
  const starts: bigint[] = [];
  const codes: string[] = [];
  for (let i = 0; i < nu; i++) {
    const cc = owner[i] ?? '';
    if (codes.length && codes[codes.length - 1] === cc) continue;
    starts.push(seg[i]!);
    codes.push(cc);
  }
  return { starts, codes };
}

/**
 * Gap dictionary of one family: every distinct gap between neighbouring starts, most frequent
 * first (ties: smaller gap first), so the common gaps get the one-byte codes 0..254.
 */
function gapDictionary(starts: readonly bigint[]): bigint[] {
  const counts = new Map<bigint, number>();
  for (let i = 1; i < starts.length; i++) {
    const d = starts[i]! - starts[i - 1]!;
    if (d <= 0n) throw new Error('range starts must be strictly ascending');
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([d]) => d);
}

/** Gap codes (u8, 255 = escape) and escapes (dictionary indexes >= 255) of one family. */
function gapCodes(starts: readonly bigint[], dict: readonly bigint[]): { codes: Uint8Array; escapes: number[] } {
  if (dict.length > IP_COUNTRY_MAX_GAPS) throw new Error(`too many distinct gaps: ${dict.length}`);
  const rank = new Map(dict.map((d, i) => [d, i]));
  const codes = new Uint8Array(Math.max(0, starts.length - 1));
  const escapes: number[] = [];
  for (let i = 1; i < starts.length; i++) {
    const k = rank.get(starts[i]! - starts[i - 1]!)!;
    if (k < 255) codes[i - 1] = k;
    else {
      codes[i - 1] = 255;
      escapes.push(k);
    }
  }
  return { codes, escapes };
}

const pad4 = (n: number): number => Math.ceil(n / 4) * 4;

/** Serialises resolved IPv4 and IPv6 (upper-64-bit) ranges into the "DSIP" v2 format. */
export function encodeIpCountryTable(v4: ResolvedRanges, v6: ResolvedRanges, sourceTag: string): Uint8Array {
  const set = new Set<string>();
  for (const cc of [...v4.codes, ...v6.codes]) if (cc) set.add(cc);
  const countries = ['', ...[...set].sort()];
  if (countries.length > 256) throw new Error(`too many countries: ${countries.length - 1}`);
  const index = new Map(countries.map((c, i) => [c, i]));
  if (!/^[\x20-\x7e]*$/.test(sourceTag) || sourceTag.length > IP_COUNTRY_SOURCE_TAG_SIZE) {
    throw new Error(`source tag must be printable ASCII of at most ${IP_COUNTRY_SOURCE_TAG_SIZE} chars`);
  }
  for (const [r, max] of [
    [v4, V4_MAX],
    [v6, V6_MAX],
  ] as const) {
    if (
      r.starts.length < 1 ||
      r.starts[0] !== 0n ||
      r.codes.length !== r.starts.length ||
      r.starts[r.starts.length - 1]! > max
    ) {
      throw new Error('resolved ranges must start at 0, stay in range and have one code per start');
    }
  }
  const c = countries.length;
  const n4 = v4.starts.length;
  const n6 = v6.starts.length;
  const dict4 = gapDictionary(v4.starts);
  const dict6 = gapDictionary(v6.starts);
  const g4 = gapCodes(v4.starts, dict4);
  const g6 = gapCodes(v6.starts, dict6);
  const d4 = dict4.length;
  const d6 = dict6.length;
  const e4 = g4.escapes.length;
  const e6 = g6.escapes.length;

  const size =
    IP_COUNTRY_HEADER_SIZE + pad4(2 * c) + 4 * d4 + 8 * d6 + pad4(2 * (e4 + e6)) + (n4 - 1) + (n6 - 1) + n4 + n6;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = IP_COUNTRY_MAGIC.charCodeAt(i);
  dv.setUint32(4, IP_COUNTRY_VERSION, true);
  dv.setUint32(8, c, true);
  dv.setUint32(12, n4, true);
  dv.setUint32(16, n6, true);
  for (let i = 0; i < sourceTag.length; i++) out[20 + i] = sourceTag.charCodeAt(i);
  dv.setUint32(64, d4, true);
  dv.setUint32(68, d6, true);
  dv.setUint32(72, e4, true);
  dv.setUint32(76, e6, true);
  let off = IP_COUNTRY_HEADER_SIZE;
  countries.forEach((cc, i) => {
    const s = cc || '--';
    out[off + 2 * i] = s.charCodeAt(0);
    out[off + 2 * i + 1] = s.charCodeAt(1);
  });
  off += pad4(2 * c);
  for (const d of dict4) {
    dv.setUint32(off, Number(d), true);
    off += 4;
  }
  for (const d of dict6) {
    dv.setUint32(off, Number(d >> 32n), true);
    off += 4;
  }
  for (const d of dict6) {
    dv.setUint32(off, Number(d & 0xffffffffn), true);
    off += 4;
  }
  for (const k of [...g4.escapes, ...g6.escapes]) {
    dv.setUint16(off, k, true);
    off += 2;
  }
  off = pad4(off);
  out.set(g4.codes, off);
  off += n4 - 1;
  out.set(g6.codes, off);
  off += n6 - 1;
  for (let i = 0; i < n4; i++) out[off++] = index.get(v4.codes[i]!)!;
  for (let i = 0; i < n6; i++) out[off++] = index.get(v6.codes[i]!)!;
  if (off !== size) throw new Error(`internal: wrote ${off} of ${size} bytes`);
  return out;
}

/** Whole pipeline: CSV texts -> binary table. */
export function buildIpCountryData(ipv4Csv: string, ipv6Csv: string, sourceTag: string): Uint8Array {
  const v4 = resolveRanges(parseCsvRanges(ipv4Csv, 4), specialClipRanges(4), V4_MAX);
  const v6 = resolveRanges(parseCsvRanges(ipv6Csv, 6), specialClipRanges(6), V6_MAX);
  return encodeIpCountryTable(v4, v6, sourceTag);
}
