import { beforeAll, describe, expect, it } from 'vitest';
import {
  type IpCountryTable,
  isSpecialIp,
  loadIpCountryTable,
  lookupCountry,
  parseIp,
} from '../../lib/ip-country';
import { readIpDataPackage } from '../../scripts/build-ip-data';
import {
  V4_MAX,
  buildIpCountryData,
  encodeIpCountryTable,
  parseCsvRanges,
  resolveRanges,
  specialClipRanges,
} from '../../scripts/ip-data-encoder';

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
  const csv6 = ['2a00::,2a00:ffff:ffff:ffff:ffff:ffff:ffff:ffff,DE', '2a00:1::,2a00:1:0:0:ffff:ffff:ffff:ffff,NL', 'fc00::,fcff::,XX'].join(
    '\n',
  );
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
