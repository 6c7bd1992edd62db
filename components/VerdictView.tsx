/**
 * The traffic light and the top reasons. Colour is never the only carrier: each verdict has an
 * icon and a word, and the region is announced to screen readers (aria-live) as it changes.
 */
import { type Lang, certaintyLabel, greyReasonText, messages, verdictLabel } from '@/lib/i18n/ui';
import { fill } from '@/lib/i18n/plural';
import { legalHooksLine } from '@/lib/i18n/legal-hooks';
import { platformName } from '@/lib/page/platform-names';
import type { Report } from '@/lib/verdict/report';
import { VERDICT_TABLE } from '@/lib/verdict/verdict-table';

/** The two strongest signals for (or against) an authority, as the page shows them (plain text, rendered as text). */
function authorityWhy(report: Report): string {
  const signals = report.authority.signals.filter(
    (s) => s.source !== 'user' && (report.authority.isAuthority ? s.weight > 0 : true),
  );
  return [...signals]
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, 2)
    .map((s) => s.evidence)
    .join(' · ');
}

/** "Instagram profile", "WhatsApp channel", "Link-in-bio page", "Website". */
function pageKindLine(report: Report, t: (typeof messages)[Lang]): string {
  const name = platformName(report.platform);
  if (report.pageKind === 'social-profile' && name)
    return (
      report.platform === 'whatsapp' || report.platform === 'telegram' ? t.pageKindChannel : t.pageKindProfile
    ).replace('{platform}', name);
  return report.pageKind === 'link-in-bio' ? t.pageKindLinkInBio : t.pageKindWebsite;
}

export function VerdictView({
  report,
  lang,
  onAuthorityChange,
}: {
  report: Report;
  lang: Lang;
  onAuthorityChange?: (value: boolean | null) => void;
}) {
  const t = messages[lang];
  const reasons = report.findings.filter((f) => f.severity !== 'info');
  const top = reasons.slice(0, 3);
  const rest = report.findings.filter((f) => !top.includes(f));
  return (
    <section
      class={`verdict verdict-${report.verdict}`}
      aria-labelledby="verdict-word"
      data-testid="verdict"
      data-verdict={report.verdict}
    >
      <p class="light" role="status" aria-live="polite">
        <span class="light-icon" aria-hidden="true">
          {VERDICT_TABLE[report.verdict].icon}
        </span>{' '}
        <strong id="verdict-word" data-testid="verdict-word">
          {verdictLabel(report.verdict, lang)}
        </strong>
        {report.verdict === 'grey' && report.greyReason ? (
          <span class="muted"> – {greyReasonText(report.greyReason, lang)}</span>
        ) : null}
      </p>
      {top.length ? (
        <ol class="reasons" data-testid="reasons">
          {top.map((f) => (
            <li key={f.id} data-finding={f.id} data-severity={f.severity} data-certainty={f.certainty}>
              <span class={`sev sev-${f.severity}`}>{f.severity === 'red' ? '●' : '▲'}</span> {f.text[lang]}
              <div class="reason-meta">
                {f.evidence && f.evidence !== '–' ? (
                  <>
                    <span class="muted evidence">{f.evidence}</span>
                    <br />
                  </>
                ) : null}
                <span class="legal">{legalHooksLine(f.legal.slice(0, 2), lang)}</span> ·{' '}
                <span class="certainty">{certaintyLabel(f.certainty, lang)}</span>
              </div>
            </li>
          ))}
        </ol>
      ) : null}
      {rest.length ? (
        <details class="more-findings">
          <summary>{fill(t.moreFindings, { n: rest.length }, lang)}</summary>
          <ul class="reasons" data-testid="more-findings">
            {rest.map((f) => (
              <li key={f.id} data-finding={f.id} data-severity={f.severity} data-certainty={f.certainty}>
                {f.text[lang]}{' '}
                {f.evidence && f.evidence !== '–' ? <span class="muted evidence">({f.evidence})</span> : null}
                <div class="reason-meta">
                  <span class="legal">{legalHooksLine(f.legal, lang)}</span> ·{' '}
                  <span class="certainty">{certaintyLabel(f.certainty, lang)}</span>
                </div>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <fieldset class="authority" data-testid="authority">
        <legend>{t.authorityQuestion}</legend>
        <p class="muted">
          <span data-testid="page-kind" data-page-kind={report.pageKind} data-platform={report.platform ?? ''}>
            {pageKindLine(report, t)}
          </span>
          {' · '}
          <span data-testid="authority-state" data-authority={String(report.authority.isAuthority)}>
            {report.authority.isAuthority ? t.authorityYes : t.authorityNo}
            {report.authority.userOverride !== null ? ` (${t.authorityByUser})` : ''}
            {authorityWhy(report) ? <span data-testid="authority-why"> ({authorityWhy(report)})</span> : null}
          </span>
        </p>
        {onAuthorityChange ? (
          <div class="authority-buttons">
            <button
              type="button"
              data-testid="authority-mark"
              aria-pressed={report.authority.userOverride === true}
              onClick={() => onAuthorityChange(true)}
            >
              {t.markAuthority}
            </button>{' '}
            <button
              type="button"
              data-testid="authority-unmark"
              aria-pressed={report.authority.userOverride === false}
              onClick={() => onAuthorityChange(false)}
            >
              {t.unmarkAuthority}
            </button>{' '}
            {report.authority.userOverride !== null ? (
              <button type="button" data-testid="authority-reset" onClick={() => onAuthorityChange(null)}>
                {t.resetAuthority}
              </button>
            ) : null}
          </div>
        ) : null}
      </fieldset>
    </section>
  );
}
