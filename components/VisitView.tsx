/** Counts, third-party hosts and cookies of one page visit: the popup's "requests" and "cookies" sections. */
import { type Lang, formatDuration, messages } from '@/lib/i18n/ui';
import { fill } from '@/lib/i18n/plural';
import type { Visit } from '@/lib/tally/types';
import { LazyDetails } from './LazyDetails';
import { contactedThirdPartyHosts, cookieCounts, thirdPartyHostCount } from '@/lib/tally/visit-stats';

/** Longer tables start collapsed and render when opened. */
const OPEN_UP_TO = 30;

export function CountsView({ visit, lang }: { visit: Visit; lang: Lang }) {
  const t = messages[lang];
  const cookies = cookieCounts(visit);
  const thirdPartyHosts = contactedThirdPartyHosts(visit).sort(
    (a, b) => b.requests - a.requests || a.host.localeCompare(b.host),
  );
  return (
    <>
      <p class="page-url" data-testid="page-url">
        {visit.url}
      </p>
      {visit.truncated ? <p class="note">{t.truncated}</p> : null}
      {visit.reconciled && (visit.reconciled.requests || visit.reconciled.cookies) ? (
        <p class="note" data-testid="reconciled">
          {fill(t.reconciled, visit.reconciled, lang)}
        </p>
      ) : null}
      <dl class="counts">
        <dt>{t.requestsTotal}</dt>
        <dd data-testid="requests-total">{visit.requests.total}</dd>
        <dt>{t.firstParty}</dt>
        <dd data-testid="requests-first-party">{visit.requests.firstParty}</dd>
        <dt>{t.thirdParty}</dt>
        <dd data-testid="requests-third-party">{visit.requests.thirdParty}</dd>
        <dt>{t.requestsFailed}</dt>
        <dd data-testid="requests-failed">{visit.requests.failed}</dd>
        <dt title={t.notSentHint}>{t.notSent}</dt>
        <dd data-testid="requests-not-sent" title={t.notSentHint}>
          {(visit.requests.cacheProbe ?? 0) + (visit.requests.cache ?? 0) + visit.requests.blocked} (
          {visit.requests.cacheProbe ?? 0} / {visit.requests.cache ?? 0} / {visit.requests.blocked})
        </dd>
        <dt>{t.thirdPartyHosts}</dt>
        <dd data-testid="third-party-host-count">{thirdPartyHostCount(visit)}</dd>
        <dt>{t.cookiesTotal}</dt>
        <dd data-testid="cookies-total">{cookies.total}</dd>
        <dt>
          {t.firstParty} / {t.thirdParty}
        </dt>
        <dd data-testid="cookies-split">
          {cookies.firstParty} / {cookies.thirdParty}
        </dd>
      </dl>

      <h3>{t.thirdPartyHosts}</h3>
      {thirdPartyHosts.length === 0 ? (
        <p class="note">{t.noThirdParties}</p>
      ) : (
        <LazyDetails
          summary={`${t.thirdPartyHosts} (${thirdPartyHosts.length})`}
          initiallyOpen={thirdPartyHosts.length <= OPEN_UP_TO}
        >
          {() => (
            <table data-testid="host-table">
              <thead>
                <tr>
                  <th scope="col">{t.host}</th>
                  <th scope="col">{t.requests}</th>
                  <th scope="col">{t.types}</th>
                  <th scope="col">{t.serverIp}</th>
                </tr>
              </thead>
              <tbody>
                {thirdPartyHosts.map((h) => (
                  <tr key={h.host} data-host={h.host}>
                    <td class="host">{h.host}</td>
                    <td class="num" data-testid="host-requests">
                      {h.requests}
                      {h.failed ? ` (${h.failed} ${t.failed})` : ''}
                    </td>
                    <td>{Object.keys(h.types).sort().join(', ')}</td>
                    <td>{h.ips.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </LazyDetails>
      )}
    </>
  );
}

export function CookiesView({ visit, lang }: { visit: Visit; lang: Lang }) {
  const t = messages[lang];
  return (
    <>
      {visit.cookies.length === 0 ? (
        <p class="note">{t.noCookies}</p>
      ) : (
        <LazyDetails
          summary={`${t.cookies} (${visit.cookies.length})`}
          initiallyOpen={visit.cookies.length <= OPEN_UP_TO}
        >
          {() => (
            <table data-testid="cookie-table">
              <thead>
                <tr>
                  <th scope="col">{t.name}</th>
                  <th scope="col">{t.domain}</th>
                  <th scope="col">{t.lifetime}</th>
                  <th scope="col">{t.thirdParty}</th>
                </tr>
              </thead>
              <tbody>
                {visit.cookies.map((c) => (
                  <tr
                    key={c.key}
                    data-cookie={c.name}
                    data-third-party={String(c.thirdParty)}
                    data-attempted-only={String(!c.seenBy.includes('script'))}
                  >
                    <td class="host">{c.name}</td>
                    <td class="host">
                      {c.domain}
                      {c.partition ? ` (${t.partitioned})` : ''}
                    </td>
                    <td data-testid="cookie-lifetime">
                      {c.lifetimeSeconds === null ? t.session : formatDuration(c.lifetimeSeconds, lang)}
                      {/* The stored lifetime is what counts; the site's wish is shown beside it (RFC 6265bis §5.5). */}
                      {c.requestedExpiresAt !== undefined && (
                        <span class="muted" data-testid="cookie-lifetime-capped">
                          {' '}
                          (
                          {t.lifetimeCapped.replace(
                            '{requested}',
                            formatDuration(Math.round((c.requestedExpiresAt - c.observedAt) / 1000), lang),
                          )}
                          )
                        </span>
                      )}
                    </td>
                    <td>
                      {c.thirdParty ? '✓' : '–'}
                      {c.seenBy.includes('script') ? '' : ` · ${t.attemptedOnly}`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </LazyDetails>
      )}
    </>
  );
}
