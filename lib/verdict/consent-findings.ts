/**
 * The findings about what a site does with the visitor's answer to its consent banner. Only the
 * audit CLI gives that answer (`--consent reject|accept`, in a fresh profile that belongs to
 * nobody; docs/audit.md): the extension in a person's browser never clicks a banner, so its
 * reports never carry `consentDecision` and these rows never fire there.
 *
 * Rows of the findings table (lib/verdict/findings.ts spreads them into FINDING_RULES, so
 * docs/findings.md lists them); the facts come from lib/verdict/consent-decision.ts. Types only
 * are imported from findings.ts, which keeps the module graph free of cycles at run time.
 */
import { capped, fire, secs } from './evidence-text';
import type { FindingRule, PageKind, VerdictFacts } from './findings';

/** Categories that make a contact after "reject all" count (rules.json R-TRK-07). */
export const AFTER_REJECT_CATEGORIES: readonly string[] = ['advertising', 'analytics', 'social', 'session-replay'];

/** What the audit's answer to the banner showed, reduced to what the rules read. */
export interface ConsentDecisionFacts {
  decision: 'rejected' | 'accepted' | null;
  /** The autoconsent rule that answered ("Onetrust"). */
  rule: string | null;
  /** Tracking third parties contacted after the decision, first contact first. */
  trackingHosts: { host: string; category: string; afterMs: number | null }[];
  /** Tracking cookies set or updated after the decision. */
  trackingCookies: { name: string; domain: string; afterMs: number | null }[];
  /** Clicks the opt-out took, and the opt-in in its own fresh profile; null when there were none to count. */
  rejectClicks: number | null;
  acceptClicks: number | null;
}

const WEB: readonly PageKind[] = ['website', 'social-profile', 'link-in-bio'];

/**
 * Evidence for tracking-after-reject: the hosts by category with the time after the click, the
 * cookies, and "without cookies" when only contacts happened (e.g. consent-mode pings: still
 * contacts of a tracker after the visitor said no).
 */
export function afterRejectEvidence(d: ConsentDecisionFacts): string {
  const byCategory = new Map<string, string[]>();
  for (const h of d.trackingHosts) {
    const list = byCategory.get(h.category) ?? [];
    list.push([h.host, secs(h.afterMs)].filter(Boolean).join(' '));
    byCategory.set(h.category, list);
  }
  const parts = [...byCategory].map(([category, hosts]) => `${category}: ${capped(hosts, 4).join(', ')}`);
  const cookies = d.trackingCookies.map((c) => [c.name, secs(c.afterMs)].filter(Boolean).join(' '));
  parts.push(cookies.length ? `cookies: ${capped(cookies, 6).join(', ')}` : 'without cookies');
  return `${parts.join('; ')}${d.rule ? ` (rule ${d.rule})` : ''}`;
}

export const CONSENT_DECISION_RULES: readonly FindingRule[] = [
  {
    id: 'tracking-after-reject',
    source: ['R-TRK-07'],
    kinds: WEB,
    severity: { default: 'red' },
    certainty: 'observed',
    tags: ['consent'],
    text: {
      de: 'Nach „Alle ablehnen“ werden weiter Tracker kontaktiert oder ihre Cookies gesetzt.',
      en: 'Trackers are still contacted or set their cookies after "reject all".',
    },
    trigger:
      'Audit CLI with --consent reject only: after the banner was answered with "reject all" (fresh profile), advertising, analytics, social or session-replay third parties were contacted, or tracking cookies set or updated, on the same page after the click or on the reload. Contacts without cookies (consent-mode pings) count too.',
    when: (f: VerdictFacts) => {
      const d = f.consentDecision;
      if (d?.decision !== 'rejected') return null;
      if (!d.trackingHosts.length && !d.trackingCookies.length) return null;
      return fire(afterRejectEvidence(d));
    },
  },
  {
    id: 'reject-not-on-first-layer',
    source: ['R-TRK-02'],
    kinds: WEB,
    severity: { default: 'yellow' },
    certainty: 'heuristic',
    tags: ['consent'],
    text: {
      de: 'Ablehnen kostet mehr Klicks als Zustimmen: keine gleichwertige Ablehnen-Option auf der ersten Ebene.',
      en: 'Rejecting takes more clicks than accepting: no equivalent reject option on the first layer.',
    },
    trigger:
      "Audit CLI with --consent reject only: the opt-out took two or more clicks while the opt-in, in its own fresh profile, took one. Opt-outs done without clicks (through the platform's API or cookie) are not judged.",
    when: (f: VerdictFacts) => {
      const d = f.consentDecision;
      if (d?.decision !== 'rejected' || d.rejectClicks === null || d.acceptClicks === null) return null;
      if (d.rejectClicks < 2 || d.acceptClicks !== 1) return null;
      return fire(`reject: ${d.rejectClicks} clicks, accept: 1 click${d.rule ? ` (rule ${d.rule})` : ''}`);
    },
  },
];
