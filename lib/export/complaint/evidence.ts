/**
 * The evidence of the complaint: the facts in time order with ISO 8601 timestamps (4), the
 * technical observations — third parties, companies, countries, cookies before any interaction
 * (5) — and the findings with their legal hooks as a preliminary assessment (6).
 */
import { categoryLabel } from '../../i18n/ui';
import { legalHooksLine } from '../../i18n/legal-hooks';
import { NO_EVIDENCE } from '../../verdict/findings';
import { RULES_VERSION } from '../../verdict/report';
import {
  type Block,
  type ComplaintFinding,
  type Lang,
  MAX_ROWS,
  type Section,
  type TextItem,
  type Visit,
  arr,
  bool,
  cmp,
  isoOrEmpty,
  num,
  obj,
  str,
} from './model';
import type { Texts } from './texts';

/** A cookie lifetime for people ("2 Jahre", "Sitzung"). */
export function lifetime(seconds: unknown, session: boolean, t: Texts, lang: Lang): string {
  if (session) return t.session;
  const s = num(seconds);
  if (s <= 0) return t.none;
  const days = s / 86_400;
  const unit = (n: string, one: boolean, de: [string, string], en: [string, string]) =>
    `${n} ${lang === 'de' ? de[one ? 0 : 1] : en[one ? 0 : 1]}`;
  if (days >= 365) {
    const y = (days / 365).toFixed(1);
    const shown = y.endsWith('.0') ? y.slice(0, -2) : lang === 'de' ? y.replace('.', ',') : y;
    return unit(shown, shown === '1', ['Jahr', 'Jahre'], ['year', 'years']);
  }
  if (days >= 1) {
    const d = Math.round(days);
    return unit(String(d), d === 1, ['Tag', 'Tage'], ['day', 'days']);
  }
  const h = Math.max(1, Math.round(s / 3600));
  return unit(String(h), h === 1, ['Stunde', 'Stunden'], ['hour', 'hours']);
}

/** The findings of every visit, in visit order (at most 40 per visit). */
export function findingsOf(visits: Visit[], lang: Lang): ComplaintFinding[] {
  const allFindings: ComplaintFinding[] = [];
  for (const v of visits) {
    const at = v.visitedAt;
    for (const f of arr(obj(v.report).findings).slice(0, 40).map(obj)) {
      const text = obj(f.text);
      allFindings.push({
        id: str(f.id, 60),
        severity: str(f.severity, 10),
        certainty: str(f.certainty, 20),
        text: str(text[lang], 500) || str(text.en, 500),
        evidence: str(f.evidence, 300),
        legal: arr(f.legal)
          .map((l) => str(l, 200))
          .filter(Boolean)
          .slice(0, 10),
        url: v.url,
        at,
      });
    }
  }
  return allFindings;
}

/** 4. The facts in time order. */
export function factsSection(t: Texts, visits: Visit[]): Section {
  const facts: (TextItem & { order: number })[] = [];
  let order = 0;
  const fact = (at: string, text: string, href?: string) =>
    facts.push({ at, text, ...(href ? { href } : {}), order: order++ });
  for (const v of visits) {
    const r = obj(v.report);
    const at = v.visitedAt;
    fact(at, t.visit(v.url, v.title, v.loads), v.url);
    // A profile opened inside a single-page app (report `navigation`, docs/ARCHITECTURE.md "Soft navigations").
    if (str(r.navigation, 20) === 'history') fact(at, t.reachedInApp);
    const imp = obj(r.imprint);
    const prv = obj(r.privacyNotice);
    const impUrl = str(imp.url);
    const prvUrl = str(prv.url);
    fact(
      at,
      t.imprint(`${t.docStatus[str(imp.status)] ?? t.none}${impUrl ? ` (${impUrl})` : ''}`),
      impUrl || undefined,
    );
    fact(
      at,
      t.privacy(`${t.docStatus[str(prv.status)] ?? t.none}${prvUrl ? ` (${prvUrl})` : ''}`),
      prvUrl || undefined,
    );
    const unmentioned = arr(prv.unmentionedServices)
      .map((s) => str(s, 60))
      .filter(Boolean);
    if (unmentioned.length) fact(at, t.unmentioned(unmentioned.join(', ')));
    for (const b of arr(r.bioLinks).slice(0, 10))
      fact(at, t.bioLink(str(obj(b).url), bool(obj(b).linkInBio)), str(obj(b).url) || undefined);
    for (const m of arr(r.messengers).slice(0, 10))
      fact(at, t.messenger(str(obj(m).kind, 40), str(obj(m).url)), str(obj(m).url) || undefined);
    for (const d of arr(r.dmInvitations).slice(0, 5)) fact(at, t.dm(str(d, 300)));
    const req = obj(r.requests);
    const hosts = arr(req.thirdPartyHosts).map(obj);
    fact(isoOrEmpty(r.analysedAt) || at, t.requests(num(req.total), num(req.thirdParty), hosts.length));
    const firstHost = hosts
      .filter((h) => isoOrEmpty(h.firstSeenAt))
      .sort((a, b) => cmp(isoOrEmpty(a.firstSeenAt), isoOrEmpty(b.firstSeenAt)))[0];
    if (firstHost)
      fact(isoOrEmpty(firstHost.firstSeenAt), t.thirdPartyFirst(str(firstHost.host, 200), str(firstHost.owner, 100)));
    const ck = obj(r.cookies);
    const items = arr(ck.items).map(obj);
    if (items.length)
      fact(
        isoOrEmpty(r.analysedAt) || at,
        t.cookies(items.length, items.filter((c) => bool(c.beforeInteraction)).length),
      );
    const rec = obj(r.reconciled);
    if (num(rec.requests) || num(rec.cookies))
      fact(isoOrEmpty(r.analysedAt) || at, t.reconciled(num(rec.requests), num(rec.cookies)));
    const consent = obj(r.consent);
    if (str(consent.status) === 'banner-shown')
      fact(isoOrEmpty(consent.shownAt) || at, t.consentShown(str(consent.cmp, 100) || '?'));
    else if (str(consent.status) === 'none-found') fact(isoOrEmpty(r.analysedAt) || at, t.consentNone);
    const fi = isoOrEmpty(r.firstInteractionAt);
    fact(fi || isoOrEmpty(r.analysedAt) || at, fi ? t.firstInteraction : t.noInteraction);
  }
  // Stable time order (ties keep insertion order); undated facts last.
  facts.sort((a, b) => cmp(a.at || '~', b.at || '~') || a.order - b.order);
  return {
    id: 'facts',
    heading: t.facts,
    blocks: [
      { kind: 'paragraph', text: t.factsIntro },
      { kind: 'list', ordered: true, items: facts.map(({ order: _o, ...item }) => item) },
    ],
  };
}

/** 5. The technical observations: third parties and cookies before any interaction per visit, companies, countries. */
export function technicalSection(t: Texts, lang: Lang, visits: Visit[], toolVersion: string): Section {
  const tech: Block[] = [{ kind: 'paragraph', text: t.technicalIntro(toolVersion, RULES_VERSION) }];
  const countries = new Set<string>();
  const companies = new Map<string, string[]>();
  for (const v of visits) {
    const r = obj(v.report);
    const hosts = arr(obj(r.requests).thirdPartyHosts).map(obj);
    const rows = hosts
      .sort((a, b) => num(b.requests) - num(a.requests) || cmp(str(a.host), str(b.host)))
      .map((h) => {
        const server = arr(h.serverCountries)
          .map((c) => str(c, 2))
          .filter(Boolean);
        if (str(h.country, 2)) countries.add(str(h.country, 2));
        for (const c of server) countries.add(c);
        return [
          str(h.host, 200),
          str(h.owner, 100) || t.none,
          str(h.country, 2) || t.none,
          server.join(', ') || t.none,
          str(h.category, 40) ? categoryLabel(str(h.category, 40), lang) : t.none,
          String(num(h.requests)),
          isoOrEmpty(h.firstSeenAt) || t.none,
        ];
      });
    if (rows.length)
      tech.push({
        kind: 'table',
        caption: t.thirdParties(v.url, v.visitedAt || t.none),
        columns: [t.colHost, t.colCompany, t.colCountry, t.colServer, t.colCategory, t.colRequests, t.colFirstSeen],
        rows: rows.slice(0, MAX_ROWS),
        ...(rows.length > MAX_ROWS ? { note: t.more(rows.length - MAX_ROWS) } : {}),
      });
    else tech.push({ kind: 'paragraph', text: `${t.thirdParties(v.url, v.visitedAt || t.none)}: ${t.noThirdParties}` });
    for (const c of arr(r.companies).map(obj)) {
      const name = str(c.name, 100) || str(c.site, 100);
      if (!name || companies.has(name)) continue;
      if (str(c.country, 2)) countries.add(str(c.country, 2));
      companies.set(name, [
        name,
        str(c.country, 2) || t.none,
        t.transfer[str(c.transferStatus)] ?? t.none,
        arr(c.categories)
          .map((x) => categoryLabel(str(x, 40), lang))
          .join(', ') || t.none,
        String(num(c.requests)),
      ]);
    }
    const cookies = arr(obj(r.cookies).items)
      .map(obj)
      .filter((c) => bool(c.beforeInteraction));
    if (cookies.length) {
      const crow = cookies
        .sort(
          (a, b) =>
            Number(bool(b.thirdParty)) - Number(bool(a.thirdParty)) ||
            cmp(str(a.domain).toLowerCase(), str(b.domain).toLowerCase()) ||
            cmp(str(a.name).toLowerCase(), str(b.name).toLowerCase()) ||
            cmp(str(a.name), str(b.name)),
        )
        .map((c) => [
          str(c.name, 200),
          str(c.domain, 200),
          bool(c.thirdParty) ? t.thirdParty : t.firstParty,
          lifetime(c.lifetimeSeconds, bool(c.session), t, lang),
        ]);
      tech.push({
        kind: 'table',
        caption: t.cookiesBefore(v.url),
        columns: [t.colName, t.colDomain, t.colParty, t.colLifetime],
        rows: crow.slice(0, MAX_ROWS),
        ...(crow.length > MAX_ROWS ? { note: t.more(crow.length - MAX_ROWS) } : {}),
      });
    } else tech.push({ kind: 'paragraph', text: `${t.cookiesBefore(v.url)}: ${t.noCookies}` });
    if (bool(r.truncated)) tech.push({ kind: 'paragraph', text: t.truncated, tone: 'note' });
  }
  if (companies.size)
    tech.push({
      kind: 'table',
      caption: t.companies,
      columns: [t.colCompany, t.colCountry, t.colTransfer, t.colCategory, t.colRequests],
      rows: [...companies.values()].slice(0, MAX_ROWS),
    });
  if (countries.size) tech.push({ kind: 'paragraph', text: t.countries([...countries].sort().join(', ')) });
  return { id: 'technical', heading: t.technical, blocks: tech };
}

/** 6. The preliminary assessment: one entry per finding and page. */
export function assessmentSection(t: Texts, allFindings: ComplaintFinding[], lang: Lang): Section {
  const seenFinding = new Set<string>();
  const assessment: TextItem[] = [];
  for (const f of allFindings) {
    // One entry per finding and page; the same finding on two pages names both.
    const key = `${f.id}\u0000${f.url}`;
    if (seenFinding.has(key)) continue;
    seenFinding.add(key);
    const parts = [t.finding(t.severity[f.severity] ?? f.severity, f.text), `${t.onPage}: ${f.url}`];
    if (f.evidence && f.evidence !== NO_EVIDENCE) parts.push(`${t.evidence}: ${f.evidence}`);
    if (f.legal.length) parts.push(`${t.legal}: ${legalHooksLine(f.legal, lang)}`);
    parts.push(t.certaintyLabel[f.certainty] ?? f.certainty);
    assessment.push({ text: parts.join(' — ') });
  }
  return {
    id: 'assessment',
    heading: t.assessment,
    blocks: [
      { kind: 'paragraph', text: t.assessmentIntro, tone: 'warning' },
      assessment.length ? { kind: 'list', items: assessment } : { kind: 'paragraph', text: t.noFindings },
    ],
  };
}
