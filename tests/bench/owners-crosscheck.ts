/**
 * Owner cross-check: our companies (lib/parties/classify.ts on the shipped trackerdb data and overlay)
 * against an independent list, `third-party-web` (Patrick Hulce, MIT, the data behind Lighthouse's
 * third-party audits; https://github.com/patrickhulce/third-party-web). It maps domains to
 * entities — products and brands ("Google CDN", "jQuery CDN"), some with a `company` field — and
 * counts how many of the HTTP Archive's pages use each entity (`totalOccurrences`).
 *
 * - coverage: share of its domains we name a company for, plain and weighted by the entity's
 *   usage count (an entity's weight is spread evenly over its domains);
 * - agreement: of the domains both name an owner for, how many name the same company, after
 *   mapping its brand names to companies with BRAND_COMPANY below (plain and usage-weighted).
 *
 * Runs in `npm run bench` (printed) and in tests/unit/parties/owners.test.ts, which fails when
 * agreement or coverage drop below tests/bench/owners-baseline.json. Never shipped.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Classifier } from '@/lib/parties/classify';

export interface TpwEntity {
  name: string;
  company?: string;
  category: string;
  domains: string[];
  totalOccurrences?: number;
}

/**
 * third-party-web's brand -> the company our sources name, for brands whose name does not contain
 * the company's (checked by hand, December 2026). Keys and values are `normalise`d names.
 */
export const BRAND_COMPANY: Readonly<Record<string, string>> = {
  // naming
  facebook: 'meta',
  instagram: 'meta',
  whatsapp: 'meta',
  twitter: 'xcorp',
  aoloathverizonmedia: 'yahoo',
  aol: 'yahoo',
  optanon: 'onetrust',
  truste: 'trustarc',
  urbanairship: 'airship',
  airship: 'urbanairship',
  jquerycdn: 'jsfoundation',
  fontawesomecdn: 'fontawesome',
  // brand -> owner (acquisitions)
  youtube: 'google',
  doubleclick: 'google',
  blogger: 'google',
  firebase: 'google',
  linkedin: 'microsoft',
  linkedinads: 'microsoft',
  bingads: 'microsoft',
  appnexus: 'microsoft',
  wordpress: 'automattic',
  wordpresssitestats: 'automattic',
  gravatar: 'automattic',
  cookiebot: 'usercentrics',
  rubiconproject: 'magnite',
  springserver: 'magnite',
  scorecardresearch: 'comscore',
  segment: 'twilio',
  marketo: 'adobe',
  bizible: 'adobe',
  livefyre: 'adobe',
  pardot: 'salesforce',
  igodigital: 'salesforce',
  salesforcecommercecloud: 'salesforce',
  heap: 'contentsquare',
  bugsnag: 'smartbear',
  gigya: 'sap',
  wufoo: 'surveymonkey',
  usabilla: 'surveymonkey',
  kampyle: 'medallia',
  decibelinsight: 'medallia',
  freshchat: 'freshworks',
  drift: 'salesloft',
  exponea: 'bloomreach',
  vwo: 'wingify',
  pushcrew: 'wingify',
  atinternet: 'piano',
  smartadserver: 'equativ',
  teads: 'outbrain',
  zemanta: 'outbrain',
  ligatus: 'outbrain',
  rocketfuel: 'zetaglobal',
  boomtrain: 'zetaglobal',
  disqus: 'zetaglobal',
  ignitionone: 'zetaglobal',
  webtrekk: 'mappdigital',
  addthis: 'oracle',
  moat: 'oracle',
  grapeshot: 'oracle',
  maxymiser: 'oracle',
  datalogix: 'oracle',
  alexa: 'amazon',
  twitch: 'amazon',
  sizmek: 'amazon',
  adaptv: 'yahoo',
  convertro: 'yahoo',
  millennialmedia: 'yahoo',
  flickr: 'smugmug',
  dailymotion: 'vivendi',
  evidon: 'crownpeak',
  tagcommander: 'commandersact',
  infusionsoft: 'keap',
  pingdomrum: 'solarwinds',
  loggly: 'solarwinds',
  swiftype: 'elastic',
  exelate: 'nielsen',
  neustar: 'transunion',
  freewheeltv: 'comcast',
  stickyadstv: 'comcast',
  bidswitch: 'criteo',
  symantec: 'broadcom',
  tremorvideo: 'nexxen',
  unrulymedia: 'nexxen',
  burstmedia: 'nexxen',
  embedly: 'medium',
  hellobar: 'crazyegg',
  merkle: 'dentsu',
  xaxis: 'wpp',
  groupm: 'wpp',
  dynamiclogic: 'kantar',
  insightexpress: 'kantar',
  mpulse: 'akamai',
  janrain: 'akamai',
  threatmetrix: 'lexisnexis',
  skimbit: 'skimlinks',
  impactradius: 'impact',
  perimeterx: 'humansecurity',
  sharpspring: 'constantcontact',
  longtailadsolutions: 'jwplayer',
  clickagy: 'zoominfo',
  site24x7: 'zoho',
  dotmailer: 'dotdigital',
  episerver: 'optimizely',
  stacklapty: 'nosto',
};

const LEGAL_SUFFIX =
  /\b(inc|llc|ltd|limited|gmbh|corp|corporation|co|company|sa|sas|ag|plc|bv|ab|as|oy|srl|spa|pty|kg|group|holdings?)\b/g;

/** Lower case, legal forms and a trailing ".com" dropped, then only letters and digits ("33 Across" = "33Across"). */
export function normalise(name: string): string {
  return name
    .toLowerCase()
    .replace(/\.(com|io|net)\b/g, ' ')
    .replace(/[.,()&'’!]/g, ' ')
    .replace(LEGAL_SUFFIX, ' ')
    .replace(/[^a-z0-9]+/g, '');
}

/** Same company: equal names, one name the start of the other ("Google" / "Google FundingChoices"), or a brand of it. */
function sameCompany(ours: string, theirs: string): boolean {
  if (!ours || !theirs) return false;
  const t = BRAND_COMPANY[theirs] ?? theirs;
  return ours === t || t.startsWith(ours) || ours.startsWith(t);
}

export function readThirdPartyWeb(): { version: string; entities: TpwEntity[] } {
  const require = createRequire(import.meta.url);
  const pkgFile = require.resolve('third-party-web/package.json');
  const dir = path.dirname(pkgFile);
  const version = (JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string }).version;
  return {
    version,
    entities: JSON.parse(readFileSync(path.join(dir, 'dist', 'entities.json'), 'utf8')) as TpwEntity[],
  };
}

export interface CrossCheck {
  source: string;
  domains: number;
  /** Domains we name a company for. */
  named: number;
  coveragePercent: number;
  coverageWeightedPercent: number;
  /** Of the named domains, how many name the same company. */
  agree: number;
  agreementPercent: number;
  agreementWeightedPercent: number;
  /** Up to 40 disagreements, heaviest first: "host: ours X, theirs Y". */
  disagreements: string[];
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export function crossCheckOwners(classifier: Classifier, tpw: { version: string; entities: TpwEntity[] }): CrossCheck {
  let domains = 0;
  let named = 0;
  let agree = 0;
  let weightAll = 0;
  let weightNamed = 0;
  let weightAgree = 0;
  const misses: { line: string; weight: number }[] = [];
  for (const entity of tpw.entities) {
    const theirs = [normalise(entity.name), ...(entity.company ? [normalise(entity.company)] : [])];
    const weight = (entity.totalOccurrences ?? 0) / Math.max(1, entity.domains.length);
    for (const raw of entity.domains) {
      const host = raw.replace(/^\*\./, '').toLowerCase();
      domains++;
      weightAll += weight;
      const info = classifier.classifyHost(host);
      if (!info.organisation) continue;
      named++;
      weightNamed += weight;
      const ours = normalise(info.organisation);
      if (theirs.some((t) => sameCompany(ours, t))) {
        agree++;
        weightAgree += weight;
      } else
        misses.push({ line: `${host}: ours ${info.organisation}, theirs ${entity.company ?? entity.name}`, weight });
    }
  }
  misses.sort((a, b) => b.weight - a.weight);
  return {
    source: `third-party-web@${tpw.version}`,
    domains,
    named,
    coveragePercent: round1((100 * named) / Math.max(1, domains)),
    coverageWeightedPercent: round1((100 * weightNamed) / Math.max(1, weightAll)),
    agree,
    agreementPercent: round1((100 * agree) / Math.max(1, named)),
    agreementWeightedPercent: round1((100 * weightAgree) / Math.max(1, weightNamed)),
    disagreements: misses.slice(0, 40).map((m) => m.line),
  };
}
