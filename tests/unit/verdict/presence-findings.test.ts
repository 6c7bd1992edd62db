import { describe, expect, it } from 'vitest';
import { linkPageVendorOf } from '@/lib/verdict/presence-findings';

describe('linkPageVendorOf (rules.json link_in_bio_hosts, R-LIB-03)', () => {
  it('finds the vendor and its transfer status from the host, subdomains included', () => {
    expect(linkPageVendorOf('linktr.ee')).toEqual({
      service: 'Linktree',
      vendor: 'Linktree Pty Ltd',
      country: 'AU',
      transfer: 'third-country',
    });
    expect(linkPageVendorOf('www.linktr.ee')?.country).toBe('AU');
  });

  it('keeps a US vendor conditional (DPF certification cannot be checked) and an unverified country unknown', () => {
    expect(linkPageVendorOf('beacons.ai')?.transfer).toBe('conditional');
    expect(linkPageVendorOf('lnk.bio')).toMatchObject({ country: null, transfer: 'unknown' });
    expect(linkPageVendorOf('stan.store')).toMatchObject({ country: null, transfer: 'unknown' });
  });

  it('is null for a host that is no link-in-bio service', () => {
    expect(linkPageVendorOf('www.stadt-beispiel.de')).toBeNull();
  });
});
