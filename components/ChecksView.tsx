/**
 * Imprint, privacy notice and contact channels of a page, as found by the page checks. Every
 * element shows what text it matched (title attribute), so a user can check it. All strings from
 * pages are rendered as text nodes (Preact escapes them); nothing is injected as HTML.
 */
import { type Lang, consentLabel, docStatusLabel, elementLabel, mentionLabel, messages } from '@/lib/i18n/ui';
import type { LegalDocCheck, PageChecks } from '@/lib/page/checks';
import type { Report } from '@/lib/verdict/report';

interface ElementFinding {
  found: boolean;
  evidence?: string;
  partial?: boolean;
}

function Elements({ elements, lang, kind }: { elements: Record<string, ElementFinding>; lang: Lang; kind: string }) {
  return (
    <ul class="elements" data-testid={`${kind}-elements`}>
      {Object.entries(elements).map(([id, f]) => (
        <li
          key={id}
          data-element={id}
          data-found={String(f.found)}
          data-partial={String(Boolean(f.partial))}
          title={f.evidence ?? ''}
        >
          <span aria-hidden="true">{f.found ? '✓' : f.partial ? '◐' : '✗'}</span> {elementLabel(id, lang)}
        </li>
      ))}
    </ul>
  );
}

function Doc<A extends { elements: Record<string, ElementFinding> }>({
  check,
  title,
  kind,
  lang,
  children,
}: {
  check: LegalDocCheck<A>;
  title: string;
  kind: 'imprint' | 'privacy';
  lang: Lang;
  children?: preact.ComponentChildren;
}) {
  return (
    <div class={`doc doc-${check.status}`} data-testid={`${kind}-check`} data-status={check.status}>
      <h3>
        {title}: <span data-testid={`${kind}-status`}>{docStatusLabel(check.status, lang)}</span>
      </h3>
      {check.link ? (
        <p class="doc-link host" data-testid={`${kind}-url`}>
          {check.link.url}
        </p>
      ) : null}
      {check.reason ? <p class="note">{check.reason}</p> : null}
      {check.analysis ? <Elements elements={check.analysis.elements} lang={lang} kind={kind} /> : null}
      {children}
    </div>
  );
}

/** The consent banner as the report states it (detected platform, answered or not). */
export function ConsentView({ consent, lang }: { consent: Report['consent'] | null; lang: Lang }) {
  const t = messages[lang];
  if (!consent) return <p class="note">{t.checksPending}</p>;
  return (
    <div data-testid="consent" data-status={consent.status} data-cmp={consent.cmp ?? ''}>
      <p>
        {t.consentBanner}: <span data-testid="consent-status">{consentLabel(consent, lang)}</span>
      </p>
    </div>
  );
}

/** The one-line state of the legal pages for the closed section: "Impressum ✗ · Datenschutzerklärung ✓". */
export function legalHint(checks: PageChecks | null, lang: Lang): string {
  const t = messages[lang];
  if (!checks) return t.checksPending;
  return `${t.imprint}: ${docStatusLabel(checks.imprint.status, lang)} · ${t.privacyNotice}: ${docStatusLabel(checks.privacy.status, lang)}`;
}

export function ChecksView({ checks, lang }: { checks: PageChecks | null; lang: Lang }) {
  const t = messages[lang];
  return (
    <div data-testid="checks">
      {!checks ? (
        <p class="note">{t.checksPending}</p>
      ) : (
        <>
          {checks.truncated ? <p class="note">{t.capped}</p> : null}
          <Doc check={checks.imprint} title={t.imprint} kind="imprint" lang={lang}>
            {checks.imprint.analysis?.poBoxOnly ? <p class="note">{t.poBoxOnly}</p> : null}
          </Doc>
          <Doc check={checks.privacy} title={t.privacyNotice} kind="privacy" lang={lang}>
            {checks.privacy.analysis?.services.length ? (
              <>
                <h4>{t.servicesNamed}</h4>
                <ul class="elements" data-testid="service-mentions">
                  {checks.privacy.analysis.services.map((s) => (
                    <li key={s.id} data-service={s.id} data-mention={s.status} title={s.evidence ?? ''}>
                      <span aria-hidden="true">
                        {s.status === 'named' ? '✓' : s.status === 'vendor-only' ? '◐' : '✗'}
                      </span>{' '}
                      {s.id}: {mentionLabel(s.status, lang)}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </Doc>
          {checks.bioLinks.length ? (
            <div data-testid="bio-links">
              <h3>{t.bioLinks}</h3>
              <ul class="elements">
                {checks.bioLinks.map((b) => (
                  <li key={b.url} data-bio-link={b.host} data-link-in-bio={String(b.linkInBio)} class="host">
                    {b.url}
                    {b.linkInBio ? ` · ${t.linkInBio}` : ''}
                    {b.viaRedirector ? ` · ${t.viaRedirector}` : ''}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {checks.messengers.length ? (
            <div data-testid="messengers">
              <h3>{t.messengers}</h3>
              <ul class="elements">
                {checks.messengers.map((m) => (
                  <li key={m.url} data-messenger={m.kind} class="host">
                    {m.kind}: {m.url}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {checks.dmInvitations.length ? (
            <div data-testid="dm-invitations">
              <h3>{t.dmInvitations}</h3>
              <ul class="elements">
                {checks.dmInvitations.map((s) => (
                  <li key={s}>„{s}“</li>
                ))}
              </ul>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}
