import { beforeAll, describe, expect, it } from 'vitest';
import { ADEQUACY_DECISIONS, transferStatusOf, worseTransfer } from '@/lib/parties/adequacy';
import { type Classifier, createClassifier, hostAndPath } from '@/lib/parties/classify';
import { parseHttpUrl } from '@/lib/site';
import { OVERLAY_ORGANISATIONS, OVERLAY_SERVICES } from '@/lib/parties/service-overlay';
import { readTrackerDbPackage } from '../../../scripts/build-data';
import { loadTrackerIndex } from '@/lib/parties/trackers';
import { realIpTable, realTrackerData } from '../helpers/real-data';

let classifier: Classifier;
beforeAll(() => {
  classifier = createClassifier({ trackers: loadTrackerIndex(realTrackerData()), ipTable: realIpTable() });
});

const PAGE = 'https://www.jobcenter-musterstadt.de/start';

describe('who is behind a host (real trackerdb + overlay)', () => {
  it.each([
    ['connect.facebook.net', 'Meta', 'US', ['advertising', 'social']],
    ['static.cdninstagram.com', 'Meta', 'US', ['advertising', 'social']],
    ['www.google-analytics.com', 'Google', 'US', ['analytics']],
    ['linktr.ee', 'Linktree', 'AU', ['link-in-bio']],
    ['assets.production.linktr.ee', 'Linktree', 'AU', ['link-in-bio']],
    ['consent.cookiebot.com', 'Usercentrics', 'DE', ['consent']],
    ['wa.me', 'Meta', 'US', ['messaging']],
    ['static.hotjar.com', 'Hotjar', 'MT', ['session-replay']],
  ])('%s -> %s (%s)', (host, organisation, country, categories) => {
    const info = classifier.classifyHost(host);
    expect(info.organisation).toBe(organisation);
    expect(info.ownerCountry).toBe(country);
    expect(categories).toContain(info.category);
  });

  it('names the EU contracting entity and the parent where the rules know them', () => {
    const ga = classifier.classifyHost('www.google-analytics.com');
    expect(ga.serviceId).toBe('google_analytics');
    expect(ga.contractingEntity).toEqual({ name: 'Google Ireland Ltd.', country: 'IE' });
    expect(ga.parent).toBe('Google LLC');
    expect(classifier.classifyHost('static.cdninstagram.com').serviceId).toBe('instagram');
  });

  it('an unknown host stays unknown, never a guess from its name', () => {
    for (const host of [
      'cdn.example-unknown.net',
      'analytics.not-a-tracker.de',
      'facebook.com.evil.example',
      'localhost',
    ]) {
      const info = classifier.classifyHost(host);
      expect(info.organisation, host).toBeNull();
      expect(info.serviceId, host).toBeNull();
      expect(info.category, host).toBe('unknown');
      expect(info.ownerCountry, host).toBeNull();
    }
  });

  it('a specific Google service beats the "other Google endpoints" fallback', () => {
    expect(classifier.classifyHost('fonts.googleapis.com').serviceId).toBe('google_fonts');
    expect(classifier.classifyHost('maps.googleapis.com').serviceId).toBe('google_maps');
    expect(classifier.classifyHost('www.googletagmanager.com').serviceId).toBe('google_tag_manager');
  });

  it('link-in-bio hosts without their own service row still say link-in-bio', () => {
    expect(classifier.classifyHost('beacons.ai')).toMatchObject({
      category: 'link-in-bio',
      organisation: 'Beacons AI',
      ownerCountry: 'US',
    });
    // Vendor unknown to our sources: the category is known, the company is not.
    expect(classifier.classifyHost('lnk.bio')).toMatchObject({
      category: 'link-in-bio',
      organisation: null,
      ownerCountry: null,
    });
  });
});

describe('requests: third party, server country, transfer status', () => {
  it('marks Google Analytics on a German page as a conditional (US/DPF) transfer', () => {
    const r = classifier.classifyRequest({
      url: 'https://www.google-analytics.com/g/collect?v=2',
      pageUrl: PAGE,
      ip: '142.250.185.78',
    });
    expect(r.thirdParty).toBe(true);
    expect(r.serverCountry).toBe('US');
    expect(r.transferStatus).toBe('conditional');
  });

  it('Linktree (AU, no adequacy decision) is a third-country transfer', () => {
    const r = classifier.classifyRequest({
      url: 'https://linktr.ee/jobcenter',
      pageUrl: 'https://www.instagram.com/jobcenter/',
    });
    expect(r).toMatchObject({ thirdParty: true, transferStatus: 'third-country', ownerCountry: 'AU' });
  });

  it('the server country can make a transfer worse than the owner country', () => {
    // Usercentrics (DE) answering from Google's US network.
    const r = classifier.classifyRequest({ url: 'https://consent.cookiebot.com/uc.js', pageUrl: PAGE, ip: '8.8.8.8' });
    expect(r.ownerCountry).toBe('DE');
    expect(r.serverCountry).toBe('US');
    expect(r.transferStatus).toBe('conditional');
  });

  it('first-party requests are not third party; unknown company and IP -> unknown transfer', () => {
    const r = classifier.classifyRequest({ url: 'https://static.jobcenter-musterstadt.de/app.js', pageUrl: PAGE });
    expect(r.thirdParty).toBe(false);
    expect(r.transferStatus).toBe('unknown');
    const private_ = classifier.classifyRequest({ url: 'https://intranet.example/', pageUrl: PAGE, ip: '192.168.1.1' });
    expect(private_.serverCountry).toBeNull();
  });

  it('recognises self-hosted Matomo by its path, without inventing a vendor company', () => {
    const r = classifier.classifyRequest({
      url: 'https://www.jobcenter-musterstadt.de/stats/matomo.js',
      pageUrl: PAGE,
    });
    expect(r).toMatchObject({
      thirdParty: false,
      selfHosted: true,
      serviceId: 'matomo',
      category: 'analytics',
      organisation: null,
    });
    const php = classifier.classifyRequest({
      url: 'https://stats.agentur-beispiel.de/piwik.php?idsite=3',
      pageUrl: PAGE,
    });
    expect(php).toMatchObject({ thirdParty: true, selfHosted: true, serviceId: 'matomo' });
    // The path rule does not apply to a known vendor host or to a look-alike name.
    expect(
      classifier.classifyRequest({ url: `${PAGE.replace('/start', '')}/matomo.json`, pageUrl: PAGE }).selfHosted,
    ).toBe(false);
  });

  it('gives the same answer as the WHATWG parser for odd URLs', () => {
    for (const url of [
      'https://WWW.Google-Analytics.com/collect',
      'https://user:pw@connect.facebook.net/en_US/fbevents.js',
      'https://xn--mnchen-3ya.de/a',
      'https://münchen.de/a',
      'http://[2001:db8::1]:8080/x',
      'https://connect.facebook.net./sdk.js',
      'https://example.com:443/a/../matomo.js',
      'https://example.com/%2e%2e/piwik.php',
      'https://example.com\\piwik.php',
      'https://example.com?x=/matomo.js',
      'https://example.com:99999/',
    ]) {
      const fast = hostAndPath(url);
      const ref = parseHttpUrl(url);
      expect(fast ? { host: fast.host, pathname: fast.pathname } : null, url).toEqual(
        ref ? { host: ref.host, pathname: ref.pathname } : null,
      );
    }
    expect(hostAndPath('javascript:alert(1)')).toBeNull();
    expect(hostAndPath('')).toBeNull();
  });

  it('never throws on malformed input', () => {
    for (const url of ['', 'not a url', 'https://', 'data:text/html,x', 'https://[::1', 'ftp://x.example/']) {
      const r = classifier.classifyRequest({ url, pageUrl: url, ip: 'garbage' });
      expect(r.serverCountry).toBeNull();
      expect(r.category).toBe('unknown');
    }
  });

  it('works without any data loaded (the asset failed to load): everything unknown', () => {
    const bare = createClassifier({ trackers: null, ipTable: null });
    const r = bare.classifyRequest({ url: 'https://cdn.example-unknown.net/x.js', pageUrl: PAGE, ip: '8.8.8.8' });
    expect(r).toMatchObject({ organisation: null, serverCountry: null, transferStatus: 'unknown', thirdParty: true });
    // The overlay is code, not a loaded asset: Linktree is still recognised.
    expect(bare.classifyHost('linktr.ee').organisation).toBe('Linktree');
  });
});

describe('IP -> network country through the classifier', () => {
  it.each([
    ['8.8.8.8', 'US'],
    ['3.120.0.1', 'DE'],
    ['2001:4860:4860::8888', 'US'],
    ['::ffff:8.8.8.8', 'US'],
    ['192.168.1.1', null],
    ['10.0.0.1', null],
    ['fe80::1', null],
    ['999.1.1.1', null],
    ['', null],
  ])('%s -> %s', (ip, country) => {
    expect(classifier.serverCountry(ip)).toBe(country);
  });
});

describe('adequacy table', () => {
  it('EEA, adequate, conditional US, third country, unknown', () => {
    expect(transferStatusOf('DE')).toBe('eea');
    expect(transferStatusOf('NO')).toBe('eea');
    expect(transferStatusOf('CH')).toBe('adequate');
    expect(transferStatusOf('GB')).toBe('adequate');
    expect(transferStatusOf('US')).toBe('conditional');
    expect(transferStatusOf('AU')).toBe('third-country');
    expect(transferStatusOf('CN')).toBe('third-country');
    expect(transferStatusOf(null)).toBe('unknown');
    expect(transferStatusOf('de')).toBe('unknown');
  });

  it('every adequate country has a decision with a reference', () => {
    for (const cc of ['AD', 'AR', 'CA', 'CH', 'FO', 'GB', 'GG', 'IL', 'IM', 'JE', 'JP', 'KR', 'NZ', 'US', 'UY']) {
      const d = ADEQUACY_DECISIONS.find((x) => x.country === cc);
      expect(d?.decision, cc).toBeTruthy();
      expect(d?.adopted, cc).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('worseTransfer keeps the less protective status', () => {
    expect(worseTransfer('eea', 'third-country')).toBe('third-country');
    expect(worseTransfer('unknown', 'eea')).toBe('eea');
    expect(worseTransfer('conditional', 'adequate')).toBe('conditional');
  });
});

describe('overlay data', () => {
  it('every row cites a source and has a unique id and hosts', () => {
    const ids = new Set<string>();
    for (const s of OVERLAY_SERVICES) {
      expect(s.source, s.id).toMatch(/rules\.json/);
      expect(ids.has(s.id), s.id).toBe(false);
      ids.add(s.id);
      expect(s.hosts.length, s.id).toBeGreaterThan(0);
    }
  });
});

describe("a company's privacy-policy URL comes from the trackerdb package", () => {
  // Ground truth: the installed @ghostery/trackerdb's organisations, read as the data build reads them.
  const organisations = (
    readTrackerDbPackage().json as { organizations: Record<string, { privacy_policy_url?: string }> }
  ).organizations;

  it.each([
    ['www.google-analytics.com', 'google'],
    ['static.hotjar.com', 'hotjar'],
  ])('%s (trackerdb organisation %s)', (host, id) => {
    expect(organisations[id]?.privacy_policy_url).toMatch(/^https?:\/\//);
    expect(classifier.classifyHost(host).privacyPolicyUrl).toBe(organisations[id]!.privacy_policy_url);
  });

  it.each(OVERLAY_ORGANISATIONS.filter((o) => o.trackerdbId).map((o) => [o.id, o.trackerdbId!]))(
    'overlay company %s takes the URL of trackerdb organisation %s',
    (overlayId, trackerdbId) => {
      const want = organisations[trackerdbId]?.privacy_policy_url;
      expect(want, `${trackerdbId} in the package`).toMatch(/^https?:\/\//);
      const hosts = OVERLAY_SERVICES.filter((s) => s.organisationId === overlayId).flatMap((s) => s.hosts);
      expect(hosts.length, `a service of ${overlayId}`).toBeGreaterThan(0);
      for (const host of hosts) expect(classifier.classifyHost(host).privacyPolicyUrl, host).toBe(want);
    },
  );
});
