/** Third parties grouped by the company behind them, with category, countries and transfer status. */
import { useState } from 'preact/hooks';
import { type Lang, categoryLabel, countryName, flagEmoji, messages, partySummaryLine, transferLabel } from '@/lib/i18n';
import type { CompanyGroup, PartySummary } from '@/lib/parties';

function Country({ cc, lang }: { cc: string | null; lang: Lang }) {
  if (!cc) return <span class="muted">{lang === 'de' ? 'unbekannt' : 'unknown'}</span>;
  return (
    <span class="country" data-country={cc} title={cc}>
      <span aria-hidden="true">{flagEmoji(cc)}</span> {countryName(cc, lang)}
    </span>
  );
}

function Group({ group, lang }: { group: CompanyGroup; lang: Lang }) {
  const t = messages[lang];
  // Details are rendered when opened: a page with 500 third parties must still open the popup fast.
  const [open, setOpen] = useState(false);
  const name = group.organisation ?? `${t.unknownCompany} (${group.site})`;
  return (
    <li class={`company transfer-${group.transferStatus}`} data-company={group.organisation ?? ''} data-site={group.site} data-transfer={group.transferStatus}>
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
            <Country cc={group.ownerCountry} lang={lang} />
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
          {group.hosts.map((h) => (
            <li key={h.host} data-party-host={h.host}>
              <span class="host">{h.host}</span>
              {h.service ? <span class="muted"> · {h.service}</span> : null}
              <span class="num"> {h.requests}</span>
            </li>
          ))}
        </ul>
          </>
        ) : null}
      </details>
    </li>
  );
}

/** Companies listed before "show all": enough for nearly every page, cheap for the worst. */
export const FIRST_COMPANIES = 25;

export function CompanyView({ parties, lang, dataMissing }: { parties: PartySummary; lang: Lang; dataMissing?: boolean }) {
  const t = messages[lang];
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? parties.groups : parties.groups.slice(0, FIRST_COMPANIES);
  return (
    <section aria-labelledby="companies-heading">
      <h2 id="companies-heading">{t.companies}</h2>
      <p class="summary-line" data-testid="party-summary">
        {partySummaryLine(parties, lang)}
      </p>
      {dataMissing ? <p class="note">{t.dataMissing}</p> : null}
      {parties.groups.length ? (
        <ul class="companies" data-testid="company-list">
          {shown.map((g) => (
            <Group key={g.key} group={g} lang={lang} />
          ))}
        </ul>
      ) : null}
      {shown.length < parties.groups.length ? (
        <button type="button" data-testid="companies-show-all" onClick={() => setShowAll(true)}>
          {t.showAll.replace('{n}', String(parties.groups.length))}
        </button>
      ) : null}
      {parties.selfHosted.length ? (
        <p class="note" data-testid="self-hosted">
          {t.selfHosted}: {parties.selfHosted.map((s) => `${s.service} (${s.host})`).join(', ')}
        </p>
      ) : null}
    </section>
  );
}
