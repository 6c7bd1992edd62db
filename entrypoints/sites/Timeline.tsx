/**
 * One site's timeline (`sites.html?site=<site>`): its visits newest first, each with what
 * changed since the visit before (lib/history/diff.ts) and how often it was loaded (reloads with
 * an unchanged report share a record, lib/history/coalesce.ts), the third-party request chart,
 * deleting a visit or the whole site, and the exports. Shown a page of TIMELINE_PAGE visits at a
 * time: a site visited every day for the retention period has hundreds.
 */
import { useMemo, useState } from 'preact/hooks';
import { loadCount } from '@/lib/history/coalesce';
import { type VisitDiff, diffVisits, requestSeries } from '@/lib/history/diff';
import type { HistoryRecord } from '@/lib/history/schema';
import type { Lang } from '@/lib/i18n/ui';
import { verdictIcon, fill, formatDateTime, historyMessages, pageKindLabel, verdictWord } from '@/lib/i18n/history';
import type { Report } from '@/lib/verdict/report';
import { RequestChart } from './Chart';
import { Confirm } from './Confirm';
import { ExportPanel } from './ExportPanel';

export const TIMELINE_PAGE = 50;

// Two strings of this page not yet in lib/i18n/history.ts (another branch owns the catalogs).
const LOCAL = {
  de: { loaded: (n: number) => `${n}-mal geladen`, more: (n: number) => `Ältere Besuche zeigen (${n} weitere)` },
  en: { loaded: (n: number) => `loaded ${n} times`, more: (n: number) => `Show older visits (${n} more)` },
} as const;

function findingText(id: string, reports: Report[], lang: Lang): string {
  for (const r of reports) {
    const f = Array.isArray(r?.findings) ? r.findings.find((x) => x?.id === id) : undefined;
    const text = f?.text?.[lang];
    if (typeof text === 'string' && text) return text;
  }
  return id;
}

function DiffView({
  diff,
  older,
  newer,
  lang,
}: {
  diff: VisitDiff | null;
  older: Report | null;
  newer: Report;
  lang: Lang;
}) {
  const t = historyMessages[lang];
  if (!diff || !older) {
    return (
      <p class="muted" data-testid="diff">
        {t.firstVisit}
      </p>
    );
  }
  const groups: { key: keyof VisitDiff; label: string; items: string[]; tone: 'worse' | 'better' }[] = [
    { key: 'newThirdParties', label: t.newThirdParties, items: diff.newThirdParties, tone: 'worse' },
    { key: 'goneThirdParties', label: t.goneThirdParties, items: diff.goneThirdParties, tone: 'better' },
    { key: 'newCookies', label: t.newCookies, items: diff.newCookies, tone: 'worse' },
    { key: 'goneCookies', label: t.goneCookies, items: diff.goneCookies, tone: 'better' },
    {
      key: 'newFindings',
      label: t.newFindings,
      items: diff.newFindings.map((id) => findingText(id, [newer], lang)),
      tone: 'worse',
    },
    {
      key: 'resolvedFindings',
      label: t.resolvedFindings,
      items: diff.resolvedFindings.map((id) => findingText(id, [older], lang)),
      tone: 'better',
    },
  ];
  const shown = groups.filter((g) => g.items.length);
  if (!shown.length && !diff.verdictChanged) {
    return (
      <p class="muted" data-testid="diff">
        {t.noChanges}
      </p>
    );
  }
  return (
    <div class="diff" data-testid="diff">
      <h4 class="sr-only">{t.changes}</h4>
      {diff.verdictChanged ? (
        <p data-testid="diff-verdict">
          {fill(
            t.verdictChanged,
            {
              from: verdictWord(diff.verdictChanged.from, lang),
              to: verdictWord(diff.verdictChanged.to, lang),
            },
            lang,
          )}
        </p>
      ) : null}
      <dl class="diff-list">
        {shown.map((g) => (
          <div key={g.key} class={`diff-group diff-${g.tone}`} data-testid={`diff-${g.key}`}>
            <dt>
              <span aria-hidden="true">{g.tone === 'worse' ? '+' : '−'}</span> {g.label} ({g.items.length})
            </dt>
            <dd>
              <ul>
                {g.items.slice(0, 50).map((item) => (
                  <li key={item}>{item}</li>
                ))}
                {g.items.length > 50 ? <li>…</li> : null}
              </ul>
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

export interface TimelineProps {
  site: string;
  visits: HistoryRecord[];
  lang: Lang;
  focusExport: boolean;
  onDeleteVisit: (id: string) => Promise<void>;
  onDeleteSite: () => Promise<void>;
}

export function Timeline({ site, visits, lang, focusExport, onDeleteVisit, onDeleteSite }: TimelineProps) {
  const t = historyMessages[lang];
  const [confirming, setConfirming] = useState(false);
  const [shown, setShown] = useState(TIMELINE_PAGE);
  const series = useMemo(() => requestSeries(visits.map((v) => v.report)), [visits]);
  // visits are newest first: the previous visit of visits[i] is visits[i + 1].
  const diffs = useMemo(
    () => visits.map((v, i) => (visits[i + 1] ? diffVisits(visits[i + 1]!.report, v.report) : null)),
    [visits],
  );
  const latest = visits[0];

  return (
    <>
      <section aria-labelledby="timeline-title" data-testid="timeline" data-site={site}>
        <h2 id="timeline-title">
          {t.timeline}: <span data-testid="timeline-site">{site}</span>
        </h2>
        {latest ? (
          <p>
            <span class={`vd vd-${latest.verdict}`} data-testid="timeline-verdict">
              <span aria-hidden="true">{verdictIcon(latest.verdict)}</span> {verdictWord(latest.verdict, lang)}
            </span>{' '}
            {latest.isAuthority ? (
              <span class="authority-flag">
                <span aria-hidden="true">🏛</span> {t.isAuthority}
              </span>
            ) : null}{' '}
            <span class="muted">
              {pageKindLabel(latest.pageKind, lang)} · {visits.length} {t.visits}
            </span>
          </p>
        ) : (
          <p data-testid="no-visits">{t.noVisits}</p>
        )}
        {series.length ? <RequestChart series={series} lang={lang} /> : null}
        <ol class="visits" data-testid="visits">
          {visits.slice(0, shown).map((v, i) => {
            const r = v.report;
            const loads = loadCount(v);
            return (
              <li
                key={v.id}
                class={`visit visit-${v.verdict}`}
                data-testid="visit"
                data-id={v.id}
                data-verdict={v.verdict}
              >
                <div class="visit-head">
                  <time dateTime={new Date(v.visitedAt).toISOString()}>{formatDateTime(v.visitedAt, lang)}</time>{' '}
                  {loads > 1 ? (
                    <span class="visit-loads muted" data-testid="visit-loads">
                      {LOCAL[lang].loaded(loads)}{' '}
                    </span>
                  ) : null}
                  <span class={`vd vd-${v.verdict}`}>
                    <span aria-hidden="true">{verdictIcon(v.verdict)}</span> {verdictWord(v.verdict, lang)}
                  </span>
                  <button
                    type="button"
                    class="delete-visit"
                    data-testid="delete-visit"
                    onClick={() => void onDeleteVisit(v.id)}
                  >
                    {t.deleteVisit}
                    <span class="sr-only"> {formatDateTime(v.visitedAt, lang)}</span>
                  </button>
                </div>
                <div class="visit-title" data-testid="visit-title">
                  {r.page?.title ?? ''}
                </div>
                <div class="visit-url muted" data-testid="visit-url">
                  {v.url}
                </div>
                <div class="visit-counts muted">
                  {fill(t.requests, { n: r.requests?.thirdParty ?? 0, hosts: v.thirdParties }, lang)} · {t.thirdParties}
                  : {v.thirdParties} ·{' '}
                  {fill(
                    t.findings,
                    {
                      n: Array.isArray(r.findings) ? r.findings.filter((f) => f.severity !== 'info').length : 0,
                    },
                    lang,
                  )}{' '}
                  · Cookies: {Array.isArray(r.cookies?.items) ? r.cookies.items.length : 0}
                </div>
                {Array.isArray(r.cookies?.items) && r.cookies.items.length ? (
                  <details class="visit-cookies">
                    <summary>Cookies ({r.cookies.items.length})</summary>
                    <ul data-testid="visit-cookies">
                      {r.cookies.items.slice(0, 100).map((c, j) => (
                        <li key={`${c.name}@${c.domain}#${j}`}>
                          {c.name} <span class="muted">({c.domain})</span>
                        </li>
                      ))}
                    </ul>
                  </details>
                ) : null}
                <DiffView diff={diffs[i] ?? null} older={visits[i + 1]?.report ?? null} newer={r} lang={lang} />
              </li>
            );
          })}
        </ol>
        {visits.length > shown ? (
          <button type="button" data-testid="more-visits" onClick={() => setShown(shown + TIMELINE_PAGE)}>
            {LOCAL[lang].more(Math.min(TIMELINE_PAGE, visits.length - shown))}
          </button>
        ) : null}
        {visits.length ? (
          <div class="danger-zone">
            {confirming ? (
              <Confirm
                text={fill(t.confirmDeleteSite, { n: visits.length, site }, lang)}
                yes={t.confirmYes}
                no={t.cancel}
                testid="confirm-site"
                onYes={() => {
                  setConfirming(false);
                  void onDeleteSite();
                }}
                onNo={() => setConfirming(false)}
              />
            ) : (
              <button type="button" class="danger" data-testid="delete-site" onClick={() => setConfirming(true)}>
                {t.deleteSite}
              </button>
            )}
          </div>
        ) : null}
      </section>
      {visits.length ? <ExportPanel site={site} visits={visits} lang={lang} focus={focusExport} /> : null}
    </>
  );
}
