/**
 * Who owns a host: the owner rules of lib/parties/classify.ts and scripts/trackerdb-encoder.ts, on
 * small made-up data (each rule alone) and on the real shipped data, plus the cross-check against
 * third-party-web (tests/bench/owners-crosscheck.ts), which must not fall below its committed
 * baseline (tests/bench/owners-baseline.json).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeTrackerDb } from '../../../scripts/trackerdb-encoder';
import { type Classifier, createClassifier } from '@/lib/parties/classify';
import { OWNERSHIP_CORRECTIONS, type OwnershipCorrection } from '@/lib/parties/ownership-corrections';
import { loadTrackerIndex } from '@/lib/parties/trackers';
import { readTrackerDbPackage } from '../../../scripts/build-data';
import { crossCheckOwners, readThirdPartyWeb } from '../../bench/owners-crosscheck';
import { realTrackerData } from '../helpers/real-data';

const raw = {
  categories: { advertising: {}, hosting: {}, site_analytics: {}, misc: {} },
  organizations: {
    mailco: { name: 'MailCo', country: 'US' },
    other: { name: 'Other Corp', country: 'FR' },
    oldowner: { name: 'Old Owner', country: 'GB' },
  },
  patterns: {
    mail_forms: {
      name: 'MailCo Forms',
      category: 'site_analytics',
      organization: 'mailco',
      domains: ['forms.mailco.example'],
    },
    mail_track: {
      name: 'MailCo Tracking',
      category: 'advertising',
      organization: 'mailco',
      domains: ['a.mailco.example', 'static.mailco.example'],
    },
    one: {
      name: 'One',
      category: 'site_analytics',
      organization: 'mailco',
      domains: ['x.single.example', 'y.single.example'],
    },
    mixed_a: { name: 'A', category: 'advertising', organization: 'mailco', domains: ['a.mixed.example'] },
    mixed_b: { name: 'B', category: 'advertising', organization: 'other', domains: ['b.mixed.example'] },
    nameless: { name: 'No company', category: 'hosting', domains: ['cdn.nameless.example'] },
    half: { name: 'Half', category: 'advertising', organization: 'mailco', domains: ['t.half.example'] },
    half_cdn: { name: 'Half CDN', category: 'hosting', domains: ['cdn.half.example'] },
    sold: { name: 'Sold Analytics', category: 'site_analytics', organization: 'oldowner', domains: ['sold.example'] },
  },
  filters: {},
};

describe('a bare registrable domain inherits the company when all entries under it agree', () => {
  const index = loadTrackerIndex(JSON.parse(JSON.stringify(encodeTrackerDb(raw, 'test@1', []))));

  it('mailco.example and its unlisted subdomains get MailCo (two patterns: a pattern named after the company)', () => {
    expect(index.matchHost('mailco.example')?.organisation?.name).toBe('MailCo');
    expect(index.matchHost('www.mailco.example')).toMatchObject({
      name: 'MailCo',
      category: 'misc',
      organisation: { name: 'MailCo', country: 'US' },
    });
    // Listed subdomains keep their own pattern.
    expect(index.matchHost('forms.mailco.example')?.name).toBe('MailCo Forms');
  });

  it('one shared pattern is inherited as it is', () => {
    expect(index.matchHost('single.example')).toMatchObject({ id: 'one', category: 'site_analytics' });
  });

  it('two companies, or a company-less entry, leave the bare domain unknown', () => {
    expect(index.matchHost('mixed.example')).toBeNull();
    expect(index.matchHost('nameless.example')).toBeNull();
    expect(index.matchHost('half.example')).toBeNull();
  });
});

describe('ownership corrections are applied at build time', () => {
  const correction: OwnershipCorrection = {
    pattern: 'sold',
    domains: ['sold.example'],
    trackerdbSays: { id: 'oldowner', name: 'Old Owner', country: 'GB' },
    organisation: { id: 'newowner', name: 'New Owner', country: 'US' },
    service: 'Sold Analytics (now New Owner)',
    changedOn: '2024-01',
    checkedOn: '2026-12-07',
    source: 'test',
  };

  it('the corrected pattern names the new owner and its country; the old owner row is dropped when unused', () => {
    const data = encodeTrackerDb(raw, 'test@1', [correction]);
    const index = loadTrackerIndex(JSON.parse(JSON.stringify(data)));
    expect(index.matchHost('sold.example')).toMatchObject({
      name: 'Sold Analytics (now New Owner)',
      organisation: { id: 'newowner', name: 'New Owner', country: 'US' },
    });
    expect(data.organisations.map((o) => o[0])).not.toContain('oldowner');
  });

  it('an owner trackerdb knows is taken from trackerdb', () => {
    const data = encodeTrackerDb(raw, 'test@1', [
      { ...correction, organisation: { id: 'other', name: 'ignored', country: null } },
    ]);
    expect(loadTrackerIndex(JSON.parse(JSON.stringify(data))).matchHost('sold.example')?.organisation).toMatchObject({
      name: 'Other Corp',
      country: 'FR',
    });
  });

  it('every shipped correction still corrects something: trackerdb says what the row says it does', () => {
    const db = readTrackerDbPackage().json as {
      patterns: Record<string, { organization?: string; domains?: string[] }>;
      organizations: Record<string, { name: string; country?: string | null }>;
    };
    for (const c of OWNERSHIP_CORRECTIONS) {
      const p = db.patterns[c.pattern];
      expect(p, c.pattern).toBeDefined();
      // When a trackerdb release fixes the owner itself, this fails: drop the row then.
      expect(p!.organization, c.pattern).toBe(c.trackerdbSays.id);
      expect(db.organizations[c.trackerdbSays.id]?.name, c.pattern).toBe(c.trackerdbSays.name);
      expect([...(p!.domains ?? [])].sort(), c.pattern).toEqual([...c.domains].sort());
      expect(c.source, c.pattern).toMatch(/https:\/\//);
      expect(c.changedOn, c.pattern).toMatch(/^\d{4}-\d{2}/);
    }
  });
});

describe('owners on the real shipped data', () => {
  let classifier: Classifier;
  beforeAll(() => {
    classifier = createClassifier({ trackers: loadTrackerIndex(realTrackerData()), ipTable: null });
  });

  it.each([
    // Company-less overlay rows (public JS CDNs) never hide trackerdb's company.
    ['ajax.googleapis.com', 'Google', 'US'],
    ['code.jquery.com', 'JS Foundation', 'US'],
    ['stackpath.bootstrapcdn.com', 'BootstrapCDN', 'US'],
    ['maxcdn.bootstrapcdn.com', 'BootstrapCDN', 'US'],
    // Bare registrable domains that trackerdb lists only subdomains of.
    ['klaviyo.com', 'Klaviyo', 'US'],
    ['wp.com', 'Automattic', 'US'],
    ['s0.wp.com', 'Automattic', 'US'],
    ['osano.com', 'Osano', 'US'],
    // Ownership corrections (lib/parties/ownership-corrections.ts).
    ['cdn.treasuredata.com', 'Treasure Data', 'US'],
    ['t.eccmp.com', 'Marigold', 'US'],
    ['www.tripadvisor.de', 'Tripadvisor', 'US'],
  ])('%s -> %s (%s)', (host, organisation, country) => {
    expect(classifier.classifyHost(host)).toMatchObject({ organisation, ownerCountry: country });
  });

  it('a company-less CDN trackerdb does not know an owner of stays without one (no guess)', () => {
    expect(classifier.classifyHost('cdn.jsdelivr.net')).toMatchObject({
      serviceId: 'public_js_cdn',
      organisation: null,
      category: 'cdn',
    });
  });

  it('consensu.org subdomains of other CMPs are not consentmanager', () => {
    expect(classifier.classifyHost('consentmanager.mgr.consensu.org').organisation).toBe('consentmanager');
    expect(classifier.classifyHost('fundingchoices.mgr.consensu.org').organisation).not.toBe('consentmanager');
  });

  it('the cross-check against third-party-web does not fall below its committed baseline', () => {
    const baseline = JSON.parse(
      readFileSync(path.resolve(import.meta.dirname, '../../bench/owners-baseline.json'), 'utf8'),
    ) as Record<string, number | string>;
    const result = crossCheckOwners(classifier, readThirdPartyWeb());
    expect(result.source).toBe(baseline.source);
    for (const key of [
      'coveragePercent',
      'coverageWeightedPercent',
      'agreementPercent',
      'agreementWeightedPercent',
    ] as const) {
      expect(
        result[key],
        `${key}; disagreements: ${result.disagreements.slice(0, 10).join('; ')}`,
      ).toBeGreaterThanOrEqual(baseline[key] as number);
    }
  });
});
