/**
 * Third parties grouped by the company behind them, with category, countries and transfer status,
 * rendered from the report (lib/verdict/report.ts) like every other view.
 */
import { useState } from 'preact/hooks';
import {
  type Lang,
  categoryLabel,
  countryName,
  flagEmoji,
  messages,
  partySummaryLine,
  transferLabel,
} from '@/lib/i18n/ui';
import type { Report } from '@/lib/verdict/report';

type Company = Report['companies'][number];
type HostRow = Report['requests']['thirdPartyHosts'][number];

function Country({ cc, lang }: { cc: string | null; lang: Lang }) {
  if (!cc) return <span class="muted">{lang === 'de' ? 'unbekannt' : 'unknown'}</span>;
  return (
    <span class="country" data-country={cc} title={cc}>
      <span aria-hidden="true">{flagEmoji(cc)}</span> {countryName(cc, lang)}
    </span>
  );
}

/**
 * The company's privacy-policy URL from the tracker data (@ghostery/trackerdb's
 * `privacy_policy_url`, carried into public/data/ by scripts/build-data.ts), only if it is an
 * http(s) URL: the data is third-party input and a `javascript:` href would run in the popup.
 */
export function safeHttpUrl(url: string | null | undefined): string | null {
  return url && /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
}

function Group({ group, hosts, lang }: { group: Company; hosts: ReadonlyMap<string, HostRow>; lang: Lang }) {
  const t = messages[lang];
  // Details are rendered when opened: a page with 500 third parties must still open the popup fast.
  const [open, setOpen] = useState(false);
  const name = group.name ?? `${t.unknownCompany} (${group.site})`;
  const policy = safeHttpUrl(group.privacyPolicyUrl);
  return (
    <li
      class={`company transfer-${group.transferStatus}`}
      data-company={group.name ?? ''}
      data-site={group.site}
      data-transfer={group.transferStatus}
    >
      <details onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
        <summary>
          <span class="company-name" data-testid="company-name">
            {name}
          </span>{' '}
          <span class="muted">· {group.categories.map((c) => categoryLabel(c, lang)).join(', ')}</span>
          <span class="company-requests num" data-testid="company-requests">
            {group.requests}
          </span>
          <br />
          <span class="company-country" data-testid="company-country">
            <Country cc={group.country} lang={lang} />
          </span>
          {' · '}
          <span class="transfer" data-testid="company-transfer">
            {transferLabel(group.transferStatus, lang)}
          </span>
        </summary>
        {open ? (
          <>
            <dl class="company-facts">
              {group.parent ? (
                <>
                  <dt>{t.parentCompany}</dt>
                  <dd>{group.parent}</dd>
                </>
              ) : null}
              {group.contractingEntity ? (
                <>
                  <dt>{t.contractingEntity}</dt>
                  <dd>
                    {group.contractingEntity.name}
                    {group.contractingEntity.country ? ` (${group.contractingEntity.country})` : ''}
                  </dd>
                </>
              ) : null}
              <dt>{t.serverNetwork}</dt>
              <dd data-testid="company-server-countries">
                {group.serverCountries.length
                  ? group.serverCountries.map((cc, i) => (
                      <>
                        {i ? ', ' : ''}
                        <Country cc={cc} lang={lang} />
                      </>
                    ))
                  : '–'}
              </dd>
            </dl>
            <ul class="company-hosts">
              {group.hosts.map((host) => {
                const h = hosts.get(host);
                return (
                  <li key={host} data-party-host={host}>
                    <span class="host">{host}</span>
                    {h?.service ? <span class="muted"> · {h.service}</span> : null}
                    <span class="num"> {h?.requests ?? ''}</span>
                  </li>
                );
              })}
            </ul>
          </>
        ) : null}
      </details>
      {policy ? (
        <a class="company-policy" href={policy} target="_blank" rel="noreferrer noopener" data-testid="company-policy">
          {t.companyPrivacyPolicy.replace('{company}', name)}
        </a>
      ) : null}
    </li>
  );
}

/** Companies listed before "show all": enough for nearly every page, cheap for the worst. */
export const FIRST_COMPANIES = 25;

export function CompanyView({ report, lang, dataMissing }: { report: Report; lang: Lang; dataMissing?: boolean }) {
  const t = messages[lang];
  const [showAll, setShowAll] = useState(false);
  const groups = report.companies;
  const shown = showAll ? groups : groups.slice(0, FIRST_COMPANIES);
  const hosts = new Map(report.requests.thirdPartyHosts.map((h) => [h.host, h]));
  return (
    <>
      <p class="summary-line" data-testid="party-summary">
        {partySummaryLine({ ...report.thirdParties, thirdParties: report.thirdParties.hosts }, lang)}
      </p>
      {dataMissing ? <p class="note">{t.dataMissing}</p> : null}
      {groups.length ? (
        <ul class="companies" data-testid="company-list">
          {shown.map((g) => (
            <Group key={`${g.name ?? ''}|${g.site}`} group={g} hosts={hosts} lang={lang} />
          ))}
        </ul>
      ) : null}
      {shown.length < groups.length ? (
        <button type="button" data-testid="companies-show-all" onClick={() => setShowAll(true)}>
          {t.showAll.replace('{n}', String(groups.length))}
        </button>
      ) : null}
      {report.selfHostedTools.length ? (
        <p class="note" data-testid="self-hosted">
          {t.selfHosted}: {report.selfHostedTools.map((s) => `${s.service} (${s.host})`).join(', ')}
        </p>
      ) : null}
    </>
  );
}
