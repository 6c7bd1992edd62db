/**
 * The third parties of one visit, grouped by the company behind them: what the popup's company
 * view shows and what findings and exports will name as recipients.
 *
 * Pure: (visit, classifier) -> plain JSON. Hosts without a known company are grouped by their
 * registrable domain and say so (`organisationId: null`); they are never merged into a company.
 */
import { type TransferStatus, transferStatusOf, worseTransfer } from './adequacy';
import type { Category, Classifier, HostInfo } from './classify';
import type { HostTally, Visit } from '../tally/types';

export interface PartyHost {
  host: string;
  serviceId: string | null;
  service: string | null;
  category: Category;
  requests: number;
  /** Registered countries of the networks that answered (indicative). */
  serverCountries: string[];
}

export interface CompanyGroup {
  /** Grouping key: "org:<id>" for a known company, "site:<domain>" for an unknown one. */
  key: string;
  organisationId: string | null;
  /** Company name, or null when unknown (then `site` names the group). */
  organisation: string | null;
  site: string;
  parent: string | null;
  ownerCountry: string | null;
  contractingEntity: { name: string; country: string | null } | null;
  privacyPolicyUrl: string | null;
  categories: Category[];
  services: string[];
  serverCountries: string[];
  transferStatus: TransferStatus;
  requests: number;
  hosts: PartyHost[];
}

export interface SelfHostedTool {
  host: string;
  serviceId: string;
  service: string;
  category: Category;
}

export interface PartySummary {
  /** Requests to third-party hosts. */
  requests: number;
  /** Third-party hosts contacted (the badge number). */
  thirdParties: number;
  /** Distinct known companies among them. */
  companies: number;
  /** Third-party hosts whose company is unknown. */
  unknownHosts: number;
  /** Owner and server countries of the third parties, most requests first. */
  countries: string[];
  groups: CompanyGroup[];
  /** Known tools served from the page's own or an unknown host (self-hosted Matomo …). */
  selfHosted: SelfHostedTool[];
}

function serverCountriesOf(row: HostTally, classifier: Classifier): string[] {
  const out: string[] = [];
  for (const ip of row.ips) {
    const cc = classifier.serverCountry(ip);
    if (cc && !out.includes(cc)) out.push(cc);
  }
  return out;
}

function pushUnique<T>(list: T[], value: T | null): void {
  if (value !== null && !list.includes(value)) list.push(value);
}

export function summariseParties(visit: Visit, classifier: Classifier): PartySummary {
  const groups = new Map<string, CompanyGroup>();
  const countryRequests = new Map<string, number>();
  const selfHosted: SelfHostedTool[] = [];
  let requests = 0;
  let thirdParties = 0;
  let unknownHosts = 0;

  for (const row of visit.hosts) {
    for (const tool of row.tools ?? []) {
      const info = classifier.describeService(tool);
      selfHosted.push({
        host: row.host,
        serviceId: tool,
        service: info?.service ?? tool,
        category: info?.category ?? 'unknown',
      });
    }
    if (!row.thirdParty || row.requests <= 0) continue;
    const info: HostInfo = classifier.classifyHost(row.host);
    const serverCountries = serverCountriesOf(row, classifier);
    requests += row.requests;
    thirdParties++;
    if (!info.organisationId) unknownHosts++;

    const key = info.organisationId ? `org:${info.organisationId}` : `site:${row.site}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        organisationId: info.organisationId,
        organisation: info.organisation,
        site: row.site,
        parent: info.parent,
        ownerCountry: info.ownerCountry,
        contractingEntity: info.contractingEntity,
        privacyPolicyUrl: info.privacyPolicyUrl,
        categories: [],
        services: [],
        serverCountries: [],
        transferStatus: transferStatusOf(info.ownerCountry),
        requests: 0,
        hosts: [],
      };
      groups.set(key, group);
    }
    group.requests += row.requests;
    group.parent ??= info.parent;
    group.contractingEntity ??= info.contractingEntity;
    group.privacyPolicyUrl ??= info.privacyPolicyUrl;
    pushUnique(group.categories, info.category);
    pushUnique(group.services, info.service);
    for (const cc of serverCountries) {
      pushUnique(group.serverCountries, cc);
      group.transferStatus = worseTransfer(group.transferStatus, transferStatusOf(cc));
    }
    group.hosts.push({
      host: row.host,
      serviceId: info.serviceId,
      service: info.service,
      category: info.category,
      requests: row.requests,
      serverCountries,
    });
    for (const cc of new Set([...(info.ownerCountry ? [info.ownerCountry] : []), ...serverCountries]))
      countryRequests.set(cc, (countryRequests.get(cc) ?? 0) + row.requests);
  }

  const sorted = [...groups.values()].sort(
    (a, b) =>
      Number(b.organisationId !== null) - Number(a.organisationId !== null) ||
      b.requests - a.requests ||
      (a.organisation ?? a.site).localeCompare(b.organisation ?? b.site),
  );
  for (const g of sorted) g.hosts.sort((a, b) => b.requests - a.requests || a.host.localeCompare(b.host));

  return {
    requests,
    thirdParties,
    companies: sorted.filter((g) => g.organisationId !== null).length,
    unknownHosts,
    countries: [...countryRequests.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([cc]) => cc),
    groups: sorted,
    selfHosted,
  };
}

/** Service ids seen on the visit's third-party hosts and self-hosted tools (for the "named in the notice" check). */
export function observedServiceIds(visit: Visit, classifier: Classifier): string[] {
  const ids = new Set<string>();
  for (const row of visit.hosts) {
    for (const tool of row.tools) ids.add(tool);
    if (!row.thirdParty || row.requests <= 0) continue;
    const id = classifier.classifyHost(row.host).serviceId;
    if (id) ids.add(id);
  }
  return [...ids];
}
