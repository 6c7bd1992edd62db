import { beforeAll, describe, expect, it } from 'vitest';
import {
  IP_COUNTRY_HEADER_SIZE,
  type IpCountryTable,
  type ParsedIp,
  isSpecialIp,
  loadIpCountryTable,
  lookupCountry,
  lookupParsed,
  parseIp,
} from '@/lib/parties/ip-country';
import { readIpDataPackage } from '../../../scripts/build-ip-data';
import {
  type ResolvedRanges,
  V4_MAX,
  V6_MAX,
  buildIpCountryData,
  encodeIpCountryTable,
  parseCsvRanges,
  resolveRanges,
  specialClipRanges,
} from '../../../scripts/ip-data-encoder';

function toBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

describe('parseIp', () => {
  it('parses IPv4', () => {
    expect(parseIp('8.8.8.8')).toEqual({ v: 4, n: 0x08080808 });
    expect(parseIp('255.255.255.255')).toEqual({ v: 4, n: 0xffffffff });
    expect(parseIp('0.0.0.0')).toEqual({ v: 4, n: 0 });
  });
  it('parses IPv6 forms', () => {
    expect(parseIp('2001:4860:4860::8888')).toEqual({ v: 6, w: [0x20014860, 0x48600000, 0, 0x8888] });
    expect(parseIp('[2001:4860:4860::8888]')).toEqual(parseIp('2001:4860:4860:0:0:0:0:8888'));
    expect(parseIp('::1')).toEqual({ v: 6, w: [0, 0, 0, 1] });
    expect(parseIp('::')).toEqual({ v: 6, w: [0, 0, 0, 0] });
    expect(parseIp('fe80::1%eth0')).toEqual({ v: 6, w: [0xfe800000, 0, 0, 1] });
    expect(parseIp('[fe80::1%25eth0]')).toEqual({ v: 6, w: [0xfe800000, 0, 0, 1] });
    expect(parseIp('1::')).toEqual({ v: 6, w: [0x00010000, 0, 0, 0] });
    expect(parseIp('64:ff9b::1.2.3.4')).toEqual({ v: 6, w: [0x0064ff9b, 0, 0, 0x01020304] });
  });
  it('maps IPv4-mapped IPv6 to IPv4', () => {
    expect(parseIp('::ffff:8.8.8.8')).toEqual({ v: 4, n: 0x08080808 });
    expect(parseIp('::ffff:808:808')).toEqual({ v: 4, n: 0x08080808 });
    expect(parseIp('[::FFFF:8.8.8.8]')).toEqual({ v: 4, n: 0x08080808 });
  });
  it('rejects malformed input', () => {
    for (const s of [
      '',
      'garbage',
      '999.1.1.1',
      '1.2.3',
      '1.2.3.4.5',
      '01.2.3.4',
      '[1.2.3.4]',
      '1.2.3.4%eth0',
      ':::',
      '1:::2',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7::8',
      '12345::',
      ':1::',
      'fe80::1%',
      '[::1',
      'g::1',
      '::ffff:1.2.3',
    ]) {
      expect(parseIp(s), s).toBeNull();
    }
    expect(parseIp(undefined as unknown as string)).toBeNull();
  });
  it('recognises special-purpose addresses', () => {
    const special = (s: string) => isSpecialIp(parseIp(s)!);
    expect(special('100.64.0.1')).toBe(true);
    expect(special('100.128.0.1')).toBe(false);
    expect(special('172.31.255.255')).toBe(true);
    expect(special('172.32.0.0')).toBe(false);
    expect(special('fd12::1')).toBe(true);
    expect(special('febf::1')).toBe(true);
    expect(special('fec0::1')).toBe(false);
    expect(special('2001:db8:ffff::1')).toBe(true);
    expect(special('2001:db9::1')).toBe(false);
    expect(special('ff02::1')).toBe(true);
    expect(special('::')).toBe(true);
  });
});

describe('encoder', () => {
  const csv4 = [
    '1.0.0.0,1.255.255.255,AU', // wide
    '1.2.0.0,1.2.255.255,CN', // nested, narrower: wins
    '1.2.3.0,1.2.3.255,JP', // narrower still
    '9.255.255.0,10.0.0.255,US', // straddles 10/8: clipped
    '2.0.0.0,2.0.0.255,FR',
    '2.0.0.128,2.0.1.127,DE', // partial overlap, same width: lower start wins
  ].join('\n');
  const csv6 = [
    '2a00::,2a00:ffff:ffff:ffff:ffff:ffff:ffff:ffff,DE',
    '2a00:1::,2a00:1:0:0:ffff:ffff:ffff:ffff,NL',
    'fc00::,fcff::,XX',
  ].join('\n');
  let table: IpCountryTable;
  beforeAll(() => {
    table = loadIpCountryTable(toBuffer(buildIpCountryData(csv4, csv6, 'synthetic')));
  });
  const cc = (ip: string) => lookupCountry(table, ip).country;

  it('lets the narrowest range win', () => {
    expect(cc('1.0.0.1')).toBe('AU');
    expect(cc('1.2.0.1')).toBe('CN');
    expect(cc('1.2.3.4')).toBe('JP');
    expect(cc('1.2.4.0')).toBe('CN');
    expect(cc('1.3.0.0')).toBe('AU');
    expect(cc('1.255.255.255')).toBe('AU');
    expect(cc('2a00:1::5')).toBe('NL');
    expect(cc('2a00:1:0:1::')).toBe('DE');
    expect(cc('2a00:2::')).toBe('DE');
  });
  it('breaks width ties by lower start', () => {
    expect(cc('2.0.0.200')).toBe('FR');
    expect(cc('2.0.1.0')).toBe('DE');
    expect(cc('2.0.1.128')).toBeNull();
  });
  it('clips special-purpose ranges', () => {
    expect(cc('9.255.255.255')).toBe('US');
    expect(lookupCountry(table, '10.0.0.1')).toEqual({ country: null, kind: 'private' });
    expect(table.countries).not.toContain('XX');
    expect(cc('0.255.255.255')).toBeNull();
    expect(cc('255.255.255.255')).toBeNull();
  });
  it('gives null outside any range', () => {
    expect(lookupCountry(table, '5.5.5.5')).toEqual({ country: null, kind: 'public' });
    expect(lookupCountry(table, '2b00::1')).toEqual({ country: null, kind: 'public' });
  });
  it('clips in the raw resolved ranges and is order independent', () => {
    const rows = parseCsvRanges(csv4, 4);
    const a = resolveRanges(rows, specialClipRanges(4), V4_MAX);
    const b = resolveRanges([...rows].reverse(), specialClipRanges(4), V4_MAX);
    expect(b).toEqual(a);
    const i = a.starts.indexOf(0x0a000000n);
    expect(i).toBeGreaterThan(0);
    expect(a.codes[i]).toBe('');
    expect(a.codes[i - 1]).toBe('US');
    expect(a.starts[0]).toBe(0n);
    const again = encodeIpCountryTable(a, resolveRanges([], specialClipRanges(6), 0xffffffffffffffffn), 's');
    expect(encodeIpCountryTable(b, resolveRanges([], specialClipRanges(6), 0xffffffffffffffffn), 's')).toEqual(again);
  });
  it('rejects malformed CSV rows and corrupt tables', () => {
    expect(() => parseCsvRanges('1.2.3.4,1.2.3,US', 4)).toThrow();
    expect(() => parseCsvRanges('1.2.3.4,1.2.3.0,US', 4)).toThrow();
    expect(() => loadIpCountryTable(new ArrayBuffer(10))).toThrow();
    expect(() => loadIpCountryTable(new ArrayBuffer(64))).toThrow();
  });
  it('rejects format version 1 and unknown versions', () => {
    const bytes = buildIpCountryData(csv4, csv6, 'synthetic');
    for (const v of [1, 3, 0xffffffff]) {
      const b = bytes.slice();
      new DataView(b.buffer).setUint32(4, v, true);
      expect(() => loadIpCountryTable(toBuffer(b))).toThrow(new RegExp(`unsupported format version ${v}`));
    }
  });
  it('rejects every truncation and extension with an Error', () => {
    const bytes = buildIpCountryData(csv4, csv6, 'synthetic');
    for (let n = 0; n < bytes.length; n++) {
      expect(() => loadIpCountryTable(toBuffer(bytes.slice(0, n))), `length ${n}`).toThrow(Error);
    }
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(() => loadIpCountryTable(toBuffer(longer))).toThrow(/size/);
  });
  it('gives an Error or a well-formed table for corrupt bytes, never a hang or a crash', () => {
    const bytes = buildIpCountryData(csv4, csv6, 'synthetic');
    const wellFormed = (t: IpCountryTable) => {
      for (let i = 1; i < t.v4Starts.length; i++) expect(t.v4Starts[i]!).toBeGreaterThan(t.v4Starts[i - 1]!);
      for (let i = 1; i < t.v6Hi.length; i++) {
        const up = t.v6Hi[i]! > t.v6Hi[i - 1]! || (t.v6Hi[i] === t.v6Hi[i - 1] && t.v6Lo[i]! > t.v6Lo[i - 1]!);
        expect(up).toBe(true);
      }
      for (const x of [...t.v4Idx, ...t.v6Idx]) expect(x).toBeLessThan(t.countries.length);
    };
    // Every single byte, set to a few telling values (deterministic).
    for (let i = 0; i < bytes.length; i++) {
      for (const v of [0, 1, 0x7f, 0xfe, 0xff, bytes[i]! ^ 0x80]) {
        if (v === bytes[i]) continue;
        const b = bytes.slice();
        b[i] = v;
        let t: IpCountryTable | null = null;
        try {
          t = loadIpCountryTable(toBuffer(b));
        } catch (e) {
          expect(e, `byte ${i} = ${v}`).toBeInstanceOf(Error);
          expect(String(e)).toMatch(/ip-country table: /);
        }
        if (t) wellFormed(t);
      }
    }
  });
  it('is deterministic', () => {
    expect(buildIpCountryData(csv4, csv6, 'synthetic')).toEqual(buildIpCountryData(csv4, csv6, 'synthetic'));
  });
});

/** Straightforward reference: last start <= key in the resolved ranges, by binary search on bigints. */
function referenceCode(r: ResolvedRanges, key: bigint): string {
  let lo = 0;
  let hi = r.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (r.starts[mid]! <= key) lo = mid;
    else hi = mid - 1;
  }
  return r.codes[lo]!;
}

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('format v2 on the real data', () => {
  let v4: ResolvedRanges;
  let v6: ResolvedRanges;
  let bytes: Uint8Array;
  let table: IpCountryTable;
  beforeAll(() => {
    const pkg = readIpDataPackage();
    v4 = resolveRanges(parseCsvRanges(pkg.ipv4, 4), specialClipRanges(4), V4_MAX);
    v6 = resolveRanges(parseCsvRanges(pkg.ipv6, 6), specialClipRanges(6), V6_MAX);
    bytes = encodeIpCountryTable(v4, v6, `test@${pkg.version}`);
    table = loadIpCountryTable(toBuffer(bytes));
  }, 60_000);

  it('is far smaller than version 1', () => {
    const v1Size =
      IP_COUNTRY_HEADER_SIZE + 4 * v4.starts.length + 8 * v6.starts.length + v4.starts.length + v6.starts.length;
    expect(bytes.length).toBeLessThan(v1Size / 2.5);
  });
  it('decodes exactly the resolved ranges', () => {
    expect(table.v4Starts.length).toBe(v4.starts.length);
    expect(table.v6Hi.length).toBe(v6.starts.length);
    for (let i = 0; i < v4.starts.length; i++) {
      if (table.v4Starts[i] !== Number(v4.starts[i]!))
        expect(table.v4Starts[i], `v4 start ${i}`).toBe(Number(v4.starts[i]!));
      if (table.countries[table.v4Idx[i]!] !== v4.codes[i])
        expect(table.countries[table.v4Idx[i]!], `v4 code ${i}`).toBe(v4.codes[i]);
    }
    for (let i = 0; i < v6.starts.length; i++) {
      const s = v6.starts[i]!;
      if (table.v6Hi[i] !== Number(s >> 32n) || table.v6Lo[i] !== Number(s & 0xffffffffn)) {
        expect([table.v6Hi[i], table.v6Lo[i]], `v6 start ${i}`).toEqual([Number(s >> 32n), Number(s & 0xffffffffn)]);
      }
      if (table.countries[table.v6Idx[i]!] !== v6.codes[i])
        expect(table.countries[table.v6Idx[i]!], `v6 code ${i}`).toBe(v6.codes[i]);
    }
  });
  it('looks up like the reference at every range start, start-1 and random addresses', () => {
    let mismatches = 0;
    let checked = 0;
    const check = (ip: ParsedIp, key: bigint, r: ResolvedRanges) => {
      checked++;
      if (lookupParsed(table, ip) !== referenceCode(r, key)) mismatches++;
    };
    const v4At = (k: bigint) => check({ v: 4, n: Number(k) }, k, v4);
    const v6At = (k: bigint, low: [number, number]) =>
      check({ v: 6, w: [Number(k >> 32n), Number(k & 0xffffffffn), low[0], low[1]] }, k, v6);
    for (const s of v4.starts) {
      v4At(s);
      if (s > 0n) v4At(s - 1n);
    }
    for (const s of v6.starts) {
      v6At(s, [0, 0]);
      if (s > 0n) v6At(s - 1n, [0xffffffff, 0xffffffff]);
    }
    const rand = rng(42);
    const u32 = () => Math.floor(rand() * 4294967296);
    for (let i = 0; i < 200_000; i++) v4At(BigInt(u32()));
    for (let i = 0; i < 200_000; i++) {
      // Half anywhere, half inside 2000::/3 where the data is.
      const hi = i % 2 ? u32() : (0x20000000 | (u32() & 0x1fffffff)) >>> 0;
      v6At((BigInt(hi) << 32n) | BigInt(u32()), [u32(), u32()]);
    }
    expect(checked).toBeGreaterThan(1_500_000);
    expect(mismatches).toBe(0);
  });
  it('gives the same lookupCountry results as the reference for textual addresses', () => {
    const rand = rng(7);
    const u32 = () => Math.floor(rand() * 4294967296);
    for (let i = 0; i < 20_000; i++) {
      const n = u32();
      const ip = `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
      const special = isSpecialIp({ v: 4, n });
      const cc = referenceCode(v4, BigInt(n));
      expect(lookupCountry(table, ip), ip).toEqual(
        special ? { country: null, kind: 'private' } : { country: cc || null, kind: 'public' },
      );
    }
    for (let i = 0; i < 20_000; i++) {
      const w = [(0x20000000 | (u32() & 0x1fffffff)) >>> 0, u32(), u32(), u32()] as const;
      const ip = w.map((x) => `${(x >>> 16).toString(16)}:${(x & 0xffff).toString(16)}`).join(':');
      const cc = referenceCode(v6, (BigInt(w[0]) << 32n) | BigInt(w[1]));
      const special = isSpecialIp({ v: 6, w });
      expect(lookupCountry(table, ip), ip).toEqual(
        special ? { country: null, kind: 'private' } : { country: cc || null, kind: 'public' },
      );
    }
  });
  it('rejects truncations of the real file', () => {
    for (const n of [bytes.length - 1, bytes.length - 1000, Math.floor(bytes.length / 2), 200]) {
      expect(() => loadIpCountryTable(toBuffer(bytes.slice(0, n)))).toThrow(Error);
    }
  });
});

describe('lookupCountry on the real data', () => {
  let table: IpCountryTable;
  beforeAll(() => {
    const pkg = readIpDataPackage();
    table = loadIpCountryTable(toBuffer(buildIpCountryData(pkg.ipv4, pkg.ipv6, `test@${pkg.version}`)));
  }, 30_000);

  it('finds public IPv4 countries', () => {
    expect(lookupCountry(table, '8.8.8.8')).toEqual({ country: 'US', kind: 'public' });
    expect(lookupCountry(table, '3.120.0.1')).toEqual({ country: 'DE', kind: 'public' });
  });
  it('reports private IPv4 as private', () => {
    for (const ip of ['192.168.1.1', '10.0.0.1', '127.0.0.1', '172.16.5.4', '169.254.1.1', '100.64.0.1']) {
      expect(lookupCountry(table, ip), ip).toEqual({ country: null, kind: 'private' });
    }
  });
  it('handles IPv6 and IPv4-mapped addresses', () => {
    expect(lookupCountry(table, '2001:4860:4860::8888')).toEqual({ country: 'US', kind: 'public' });
    expect(lookupCountry(table, '[2001:4860:4860::8888]')).toEqual({ country: 'US', kind: 'public' });
    expect(lookupCountry(table, '::ffff:8.8.8.8')).toEqual({ country: 'US', kind: 'public' });
    expect(lookupCountry(table, '::ffff:808:808')).toEqual({ country: 'US', kind: 'public' });
    expect(lookupCountry(table, '::ffff:192.168.0.1')).toEqual({ country: null, kind: 'private' });
    for (const ip of ['::1', 'fe80::1', 'fe80::1%eth0', 'fd00::1', '2001:db8::1', 'ff02::1']) {
      expect(lookupCountry(table, ip), ip).toEqual({ country: null, kind: 'private' });
    }
  });
  it('reports malformed input as invalid', () => {
    for (const ip of ['garbage', '', '999.1.1.1', '1.2.3']) {
      expect(lookupCountry(table, ip), ip).toEqual({ country: null, kind: 'invalid' });
    }
  });
});
