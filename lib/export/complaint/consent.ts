/**
 * The complaint's account of the audit's answer to the consent banner (audit CLI `--consent`,
 * lib/verdict/consent-decision.ts): the decision, the click time and what followed, as facts with
 * timestamps in the facts section (4), and the third parties and cookies after the decision as
 * tables in the technical section (5). It also says plainly that this part was not seen in the
 * complainant's own browser but by the tool in a fresh profile, and names the consent-platform
 * rule that answered (SPEC § 7.3: facts must say how they were obtained).
 *
 * Reports are untrusted here as everywhere in the export: read through the safe accessors.
 */
import { categoryLabel } from '../../i18n/ui';
import { countOf } from '../../i18n/plural';
import {
  type Block,
  type Lang,
  MAX_ROWS,
  type Section,
  type TextItem,
  type Visit,
  arr,
  bool,
  isoOrEmpty,
  num,
  obj,
  str,
} from './model';

const MAX_FACTS = 12;

const TEXTS = {
  de: {
    intro: (rules: string) =>
      `Die Angaben zur Antwort auf das Einwilligungsbanner stammen nicht aus meinem eigenen Browser: Die Datenschutz-Ampel (Audit-Befehl) hat die Seite in einem frischen, leeren Browserprofil aufgerufen, das Banner selbst beantwortet (Regel ${rules} von @duckduckgo/autoconsent) und anschließend beobachtet, was die Seite tat.`,
    answered: (mode: string, rule: string, library: string) =>
      `Die Datenschutz-Ampel beantwortet das Einwilligungsbanner in ihrem frischen Browserprofil mit „${mode}“ (Regel „${rule}“ von ${library})`,
    reject: 'Alle ablehnen',
    accept: 'Alle akzeptieren',
    decided: (mode: string, clicks: number) =>
      clicks === 0
        ? `„${mode}“ ausgeführt, ohne Klick über die Schnittstelle der Einwilligungsplattform`
        : `„${mode}“ ausgeführt (letzter von ${countOf(clicks, 'de', 'Klick', 'Klicks')})`,
    notAnswered: (mode: string, reason: string) =>
      `Das Einwilligungsbanner wurde nicht mit „${mode}“ beantwortet: ${reason}`,
    reasons: {
      'no-banner': 'kein Banner einer bekannten Einwilligungsplattform gefunden',
      'cosmetic-only': 'das Banner ließe sich nur ausblenden, nicht beantworten',
      'answer-failed': 'die Antwort schlug fehl',
      'answer-timeout': 'die Antwort wurde nicht rechtzeitig fertig',
      'page-failed': 'die Seite ließ sich nicht steuern',
    } as Record<string, string>,
    host: (host: string, owner: string, category: string, secs: string) =>
      `Nach der Entscheidung: Anfrage an ${host}${owner ? ` (${owner}, ${category})` : ` (${category})`}${secs ? ` – ${secs} nach dem Klick` : ''}`,
    again: (host: string) => `Nach der Entscheidung: erneute Anfragen an ${host} auf derselben Seite`,
    cookie: (name: string, domain: string, secs: string) =>
      `Nach der Entscheidung gesetzt oder aktualisiert: Cookie ${name} (${domain})${secs ? ` – ${secs} nach dem Klick` : ''}`,
    reload: 'Seite neu geladen, um den nächsten Aufruf nach der Entscheidung zu beobachten',
    nothing:
      'Nach der Entscheidung bis zum Ende der Beobachtung keine Anfragen an Werbe-, Statistik-, Social-Media- oder Session-Replay-Dienste und keine Tracking-Cookies',
    optIn: (clicks: number) =>
      `Zum Vergleich in einem weiteren frischen Profil: „Alle akzeptieren“ mit ${countOf(clicks, 'de', 'Klick', 'Klicks')}`,
    secs: (ms: number) => `${(ms / 1000).toFixed(1).replace('.', ',')} s`,
    tableHosts: (mode: string, url: string, at: string) =>
      `Drittanbieter nach „${mode}“ auf ${url} (Entscheidung ${at})`,
    tableCookies: (mode: string, url: string) =>
      `Cookies, die nach „${mode}“ auf ${url} gesetzt oder aktualisiert wurden`,
    cols: {
      host: 'Host',
      company: 'Unternehmen',
      category: 'Kategorie',
      requests: 'Anfragen',
      after: 'Zeit nach dem Klick',
      where: 'wo',
      name: 'Name',
      domain: 'Domain',
      party: 'Partei',
      tracking: 'Tracking',
    },
    phases: { 'same-page': 'dieselbe Seite', reload: 'neu geladen' } as Record<string, string>,
    yes: 'ja',
    no: 'nein',
    first: 'eigene',
    third: 'fremde',
    unknown: '–',
    none: 'keine',
  },
  en: {
    intro: (rules: string) =>
      `The statements about the answer to the consent banner do not come from my own browser: Datenschutz-Ampel (its audit command) opened the page in a fresh, empty browser profile, answered the banner itself (rule ${rules} of @duckduckgo/autoconsent) and then observed what the page did.`,
    answered: (mode: string, rule: string, library: string) =>
      `Datenschutz-Ampel answers the consent banner in its fresh browser profile with "${mode}" (rule "${rule}" of ${library})`,
    reject: 'Reject all',
    accept: 'Accept all',
    decided: (mode: string, clicks: number) =>
      clicks === 0
        ? `"${mode}" done without a click, through the consent platform's interface`
        : `"${mode}" done (last of ${countOf(clicks, 'en', 'click', 'clicks')})`,
    notAnswered: (mode: string, reason: string) => `The consent banner was not answered with "${mode}": ${reason}`,
    reasons: {
      'no-banner': 'no banner of a known consent platform was found',
      'cosmetic-only': 'the banner could only be hidden, not answered',
      'answer-failed': 'the answer failed',
      'answer-timeout': 'the answer did not finish in time',
      'page-failed': 'the page could not be driven',
    } as Record<string, string>,
    host: (host: string, owner: string, category: string, secs: string) =>
      `After the decision: request to ${host}${owner ? ` (${owner}, ${category})` : ` (${category})`}${secs ? ` – ${secs} after the click` : ''}`,
    again: (host: string) => `After the decision: further requests to ${host} on the same page`,
    cookie: (name: string, domain: string, secs: string) =>
      `Set or updated after the decision: cookie ${name} (${domain})${secs ? ` – ${secs} after the click` : ''}`,
    reload: 'Page reloaded to observe the next visit after the decision',
    nothing:
      'After the decision, until the end of the observation: no requests to advertising, analytics, social-media or session-replay services and no tracking cookies',
    optIn: (clicks: number) =>
      `For comparison, in another fresh profile: "Accept all" took ${countOf(clicks, 'en', 'click', 'clicks')}`,
    secs: (ms: number) => `${(ms / 1000).toFixed(1)} s`,
    tableHosts: (mode: string, url: string, at: string) => `Third parties after "${mode}" on ${url} (decision ${at})`,
    tableCookies: (mode: string, url: string) => `Cookies set or updated after "${mode}" on ${url}`,
    cols: {
      host: 'Host',
      company: 'Company',
      category: 'Category',
      requests: 'Requests',
      after: 'Time after the click',
      where: 'where',
      name: 'Name',
      domain: 'Domain',
      party: 'Party',
      tracking: 'Tracking',
    },
    phases: { 'same-page': 'same page', reload: 'reloaded' } as Record<string, string>,
    yes: 'yes',
    no: 'no',
    first: 'first',
    third: 'third',
    unknown: '–',
    none: 'none',
  },
};

interface Answered {
  visit: Visit;
  consent: Record<string, unknown>;
  answer: Record<string, unknown>;
  after: Record<string, unknown>;
}

function answeredVisits(visits: Visit[]): Answered[] {
  return visits
    .map((visit) => {
      const consent = obj(obj(visit.report).consent);
      return { visit, consent, answer: obj(consent.answer), after: obj(consent.afterDecision) };
    })
    .filter((v) => Object.keys(v.answer).length > 0);
}

const modeWord = (answer: Record<string, unknown>, lang: Lang) =>
  str(answer.requested) === 'accept' ? TEXTS[lang].accept : TEXTS[lang].reject;

/** The consent facts of one visit, each with its timestamp. */
function factsOf(a: Answered, lang: Lang): TextItem[] {
  const t = TEXTS[lang];
  const mode = modeWord(a.answer, lang);
  const rule = str(a.answer.rule, 200);
  const fallback = a.visit.visitedAt;
  const out: TextItem[] = [];
  const add = (at: string, text: string) => out.push({ at: at || fallback, text });
  const decision = str(a.consent.decision);
  if (!decision) {
    add(
      isoOrEmpty(a.answer.answeredAt) || isoOrEmpty(obj(a.visit.report).analysedAt),
      t.notAnswered(mode, t.reasons[str(a.answer.reason)] ?? t.unknown),
    );
    return out;
  }
  add(
    isoOrEmpty(a.answer.answeredAt),
    t.answered(mode, rule || t.unknown, str(a.answer.library, 100) || '@duckduckgo/autoconsent'),
  );
  add(isoOrEmpty(a.answer.decidedAt), t.decided(mode, num(a.answer.clicks)));
  const optIn = obj(a.answer.optIn);
  if (typeof optIn.clicks === 'number') add(isoOrEmpty(a.answer.decidedAt), t.optIn(num(optIn.clicks)));
  const hosts = arr(a.after.thirdParties)
    .map(obj)
    .filter((h) => bool(h.tracking));
  const cookies = arr(a.after.cookies)
    .map(obj)
    .filter((c) => bool(c.tracking));
  for (const h of hosts.slice(0, MAX_FACTS)) {
    const at = isoOrEmpty(h.firstSeenAt);
    if (at)
      add(
        at,
        t.host(
          str(h.host, 200),
          str(h.owner, 100),
          categoryLabel(str(h.category, 40), lang),
          typeof h.afterMs === 'number' ? t.secs(num(h.afterMs)) : '',
        ),
      );
    else add(isoOrEmpty(a.after.until), t.again(str(h.host, 200)));
  }
  for (const c of cookies.slice(0, MAX_FACTS))
    add(
      isoOrEmpty(c.observedAt) || isoOrEmpty(a.after.until),
      t.cookie(str(c.name, 200), str(c.domain, 200), typeof c.afterMs === 'number' ? t.secs(num(c.afterMs)) : ''),
    );
  if (isoOrEmpty(a.after.reloadedAt)) add(isoOrEmpty(a.after.reloadedAt), t.reload);
  if (!hosts.length && !cookies.length && Object.keys(a.after).length)
    add(isoOrEmpty(a.after.until) || isoOrEmpty(a.answer.decidedAt), t.nothing);
  return out;
}

/**
 * The facts section with the consent facts merged in time order (the section's own facts keep
 * their order; JavaScript's sort is stable) and, first, the note that these were seen by the tool.
 */
export function withConsentFacts(section: Section, visits: Visit[], lang: Lang): Section {
  const answered = answeredVisits(visits);
  if (!answered.length) return section;
  const rules =
    [...new Set(answered.map((a) => str(a.answer.rule, 200)).filter(Boolean))].map((r) => `„${r}“`).join(', ') ||
    TEXTS[lang].unknown;
  const intro = lang === 'de' ? rules : rules.replace(/„|“/g, '"');
  const extra = answered.flatMap((a) => factsOf(a, lang));
  const blocks = section.blocks.map((b): Block => {
    if (b.kind !== 'list') return b;
    const items = [...b.items, ...extra].sort((x, y) =>
      (x.at || '~') < (y.at || '~') ? -1 : (x.at || '~') > (y.at || '~') ? 1 : 0,
    );
    return { ...b, items };
  });
  const at = blocks.findIndex((b) => b.kind === 'list');
  blocks.splice(at < 0 ? blocks.length : at, 0, { kind: 'paragraph', text: TEXTS[lang].intro(intro), tone: 'note' });
  return { ...section, blocks };
}

/** The technical section with, per answered visit, the third parties and cookies after the decision. */
export function withConsentTables(section: Section, visits: Visit[], lang: Lang): Section {
  const t = TEXTS[lang];
  const extra: Block[] = [];
  for (const a of answeredVisits(visits)) {
    if (!str(a.consent.decision) || !Object.keys(a.after).length) continue;
    const mode = modeWord(a.answer, lang);
    const secs = (x: unknown) => (typeof x === 'number' ? t.secs(num(x)) : t.unknown);
    const phases = (x: unknown) =>
      arr(x)
        .map((p) => t.phases[str(p)] ?? t.unknown)
        .join(', ');
    const hostRows = arr(a.after.thirdParties)
      .map(obj)
      .map((h) => [
        str(h.host, 200),
        str(h.owner, 100) || t.unknown,
        categoryLabel(str(h.category, 40), lang),
        bool(h.tracking) ? t.yes : t.no,
        String(num(h.requests)),
        secs(h.afterMs),
        phases(h.phases),
      ]);
    if (!hostRows.length)
      extra.push({
        kind: 'paragraph',
        text: `${t.tableHosts(mode, a.visit.url, isoOrEmpty(a.answer.decidedAt) || t.unknown)}: ${t.none}`,
      });
    else
      extra.push({
        kind: 'table',
        caption: t.tableHosts(mode, a.visit.url, isoOrEmpty(a.answer.decidedAt) || t.unknown),
        columns: [
          t.cols.host,
          t.cols.company,
          t.cols.category,
          t.cols.tracking,
          t.cols.requests,
          t.cols.after,
          t.cols.where,
        ],
        rows: hostRows.slice(0, MAX_ROWS),
      });
    const cookieRows = arr(a.after.cookies)
      .map(obj)
      .map((c) => [
        str(c.name, 200),
        str(c.domain, 200),
        bool(c.thirdParty) ? t.third : t.first,
        bool(c.tracking) ? t.yes : t.no,
        secs(c.afterMs),
        phases(c.phases),
      ]);
    if (cookieRows.length)
      extra.push({
        kind: 'table',
        caption: t.tableCookies(mode, a.visit.url),
        columns: [t.cols.name, t.cols.domain, t.cols.party, t.cols.tracking, t.cols.after, t.cols.where],
        rows: cookieRows.slice(0, MAX_ROWS),
      });
    else extra.push({ kind: 'paragraph', text: `${t.tableCookies(mode, a.visit.url)}: ${t.none}` });
  }
  return extra.length ? { ...section, blocks: [...section.blocks, ...extra] } : section;
}
