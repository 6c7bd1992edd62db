import { describe, expect, it } from 'vitest';
import { encodeTrackerDb } from '../../../scripts/trackerdb-encoder';
import { TRACKER_DATA_FORMAT, loadTrackerIndex } from '@/lib/parties/trackers';
import { realTrackerData } from '../helpers/real-data';

const raw = {
  categories: { advertising: {}, site_analytics: {} },
  organizations: {
    acme: { name: 'Acme Ads', country: 'us', privacy_policy_url: 'https://acme.example/privacy' },
    unused: { name: 'Nobody' },
  },
  patterns: {
    acme_ads: {
      name: 'Acme Ads',
      category: 'advertising',
      organization: 'acme',
      domains: ['acme-ads.example', 'px.acme.example'],
    },
    acme_stats: {
      name: 'Acme Stats',
      category: 'site_analytics',
      organization: 'acme',
      domains: ['acme.example', 'gone.invalid'],
    },
    broken: { name: 'No category', category: 'nope', organization: 'acme', domains: ['broken.example'] },
  },
  filters: {
    '/acme-stats.js': 'acme_stats',
    '/acme/collect': 'acme_stats',
    '||acme.example/x^': 'acme_stats',
    '/*wild': 'acme_stats',
  },
};

describe('trackerdb encoder and index', () => {
  const data = encodeTrackerDb(raw, 'test@1');
  const index = loadTrackerIndex(JSON.parse(JSON.stringify(data)));

  it('keeps only organisations in use, upper-cases countries, drops retired and uncategorised rows', () => {
    expect(data.organisations.map((o) => o[0])).toEqual(['acme']);
    expect(data.organisations[0]![2]).toBe('US');
    expect(Object.keys(data.domains).sort()).toEqual(['acme-ads.example', 'acme.example', 'px.acme.example']);
    expect(data.paths.map((p) => p[0])).toEqual(['/acme-stats.js', '/acme/collect']);
  });

  it('matches the longest domain suffix, not look-alikes or prototype names', () => {
    expect(index.matchHost('px.acme.example')?.id).toBe('acme_ads');
    expect(index.matchHost('cdn.acme.example')?.id).toBe('acme_stats');
    expect(index.matchHost('acme.example.evil.test')).toBeNull();
    expect(index.matchHost('notacme.example')).toBeNull();
    for (const host of ['constructor', '__proto__', 'hasOwnProperty', 'x.toString'])
      expect(index.matchHost(host)).toBeNull();
    expect(index.matchHost('acme.example')?.organisation).toMatchObject({
      name: 'Acme Ads',
      country: 'US',
      privacyPolicyUrl: 'https://acme.example/privacy',
    });
  });

  it('path filters: a file name must end the path, a directory is a prefix', () => {
    expect(index.matchPath('/js/acme-stats.js')?.id).toBe('acme_stats');
    expect(index.matchPath('/js/acme-stats.json')).toBeNull();
    expect(index.matchPath('/acme/collect/v2')?.id).toBe('acme_stats');
  });

  it('refuses data of another format; a bad row only makes that row unknown', () => {
    expect(() => loadTrackerIndex(null)).toThrow(/format/);
    expect(() => loadTrackerIndex({ ...data, format: 99 })).toThrow(/format/);
    expect(() => loadTrackerIndex({ ...data, domains: [] })).toThrow(/domains/);
    const damaged = JSON.parse(JSON.stringify(data)) as typeof data;
    damaged.patterns[0] = ['acme_ads', 42, 0, 0] as never;
    const i2 = loadTrackerIndex(damaged);
    expect(i2.matchHost('acme-ads.example')).toBeNull();
    expect(i2.matchHost('acme.example')?.id).toBe('acme_stats');
  });

  it('the real database is deterministic and finds Matomo by path', () => {
    const again = JSON.parse(JSON.stringify(realTrackerData()));
    expect(again.format).toBe(TRACKER_DATA_FORMAT);
    const real = loadTrackerIndex(again);
    expect(real.matchPath('/piwik.php')?.id).toBe('matomo');
    expect(real.pattern('matomo')?.organisation?.name).toBe('Matomo');
    expect(real.patternCount).toBeGreaterThan(3000);
  });
});
