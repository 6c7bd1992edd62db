// The competent data-protection authority (lib/export/dpa/: directory, competence, controller; SPEC § 7.1, rules.json competence/dpas).
import { describe, expect, it } from 'vitest';
import { type CompetenceInput, competentAuthority } from '@/lib/export/dpa/competence';
import {
  controllerFromReport,
  countryFromHost,
  jobcenterTypeFromText,
  seatFromText,
  stateFromPostcode,
} from '@/lib/export/dpa/controller';
import { GERMAN_STATES, allDpas, dpaById, germanStateDpa, normaliseState } from '@/lib/export/dpa/directory';
import rules from '@/lib/legal/rules.json';
import type { Report } from '@/lib/verdict/report';
import { IMPRINT_TEXT, linktreeReport, profileReport } from '../helpers/jobcenter-case';

const ca = (input: CompetenceInput) => competentAuthority(input);

describe('competentAuthority: the required cases', () => {
  it('a gE Jobcenter → BfDI (§ 50 Abs. 4 S. 3 SGB II), whatever its Land', () => {
    for (const state of [null, 'BY', 'NW']) {
      const r = ca({ controllerKind: 'jobcenter', jobcenterType: 'gemeinsame-einrichtung', country: 'DE', state });
      expect(r.primary.id).toBe('debfdi');
      expect(r.hook).toBe('§ 50 Abs. 4 S. 3 SGB II');
      expect(r.certainty).toBe('observed');
      expect(r.askUser).toBe(false);
      expect(r.primary.complaintUrl).toBe('https://formulare.bfdi.bund.de/lip/action/invoke.do?id=BfDIBeschwerde');
      expect(r.reason.de).toContain('§ 44b SGB II');
    }
  });

  it('a city in Bavaria → BayLfD; a Bavarian company → BayLDA (Bavaria is split)', () => {
    const city = ca({ controllerKind: 'municipal-body', country: 'DE', state: 'BY', publicBody: true });
    expect(city.primary.id).toBe('debayldb');
    expect(city.primary.short).toBe('BayLfD');
    expect(city.certainty).toBe('observed');
    const company = ca({ controllerKind: 'company', country: 'DE', state: 'BY' });
    expect(company.primary.id).toBe('debaylda');
    expect(company.hook).toContain('§ 40 Abs. 1 BDSG');
    // Land ministries and Land bodies too.
    expect(ca({ controllerKind: 'state-body', country: 'DE', state: 'Bayern' }).primary.id).toBe('debayldb');
    expect(ca({ controllerKind: 'association', country: 'DE', state: 'BY' }).primary.id).toBe('debaylda');
  });

  it('a city in Bavaria, found from its imprint address', () => {
    const base = profileReport();
    const report: Report = {
      ...base,
      page: { title: 'Landeshauptstadt München', profileName: 'Stadt München', handle: 'stadtmuenchen' },
      authority: {
        ...base.authority,
        isSocialBenefitBody: false,
        signals: [{ id: 'name-keyword', weight: 3, evidence: 'Stadt München', source: 'name' }],
      },
    };
    const guess = controllerFromReport(report, 'Impressum\nLandeshauptstadt München\nMarienplatz 8\n80331 München');
    expect(guess).toMatchObject({ controllerKind: 'municipal-body', country: 'DE', state: 'BY', publicBody: true });
    expect(competentAuthority(guess).primary.id).toBe('debayldb');
  });

  it('a company in Hamburg → HmbBfDI', () => {
    expect(ca({ controllerKind: 'company', country: 'DE', state: 'HH' }).primary.id).toBe('dehmbbfdi');
    const report = {
      ...profileReport(),
      authority: { ...profileReport().authority, isAuthority: false, isSocialBenefitBody: false, signals: [] },
    } as Report;
    const guess = controllerFromReport(
      report,
      'Impressum\nBeispiel Medien GmbH\nJungfernstieg 1\n20354 Hamburg\nGeschäftsführer: Max Muster',
    );
    expect(guess).toMatchObject({
      controllerKind: 'company',
      country: 'DE',
      state: 'HH',
      publicBody: false,
      name: 'Beispiel Medien GmbH',
    });
    const r = competentAuthority(guess);
    expect(r.primary.id).toBe('dehmbbfdi');
    expect(r.primary.complaintUrl).toBe('https://datenschutz-hamburg.de/beschwerde/');
  });

  it('an Austrian public body → the Austrian Datenschutzbehörde (Art. 55(2): no one-stop-shop)', () => {
    const r = ca({ controllerKind: 'municipal-body', country: 'AT', publicBody: true });
    expect(r.primary.id).toBe('atdsb');
    expect(r.primary.country).toBe('AT');
    expect(r.hook).toContain('Art. 55 Abs. 2');
    expect(r.certainty).toBe('observed');
    const fromImprint = controllerFromReport(
      profileReport(),
      'Impressum\nStadt Wien – Magistrat\nRathausplatz 1\n1010 Wien\nÖsterreich',
    );
    expect(fromImprint.country).toBe('AT');
    expect(competentAuthority({ ...fromImprint, controllerKind: 'municipal-body' }).primary.id).toBe('atdsb');
  });

  it('unknown → ask the user, explaining the Art. 77 residence fallback', () => {
    const r = ca({ controllerKind: 'unknown', country: null });
    expect(r.primary.id).toBe('ask-user');
    expect(r.askUser).toBe(true);
    expect(r.certainty).toBe('heuristic');
    expect(r.hook).toContain('Art. 77');
    expect(r.reason.de).toMatch(/Art\. 77 Abs\. 1 DSGVO/);
    expect(r.reason.de).toMatch(/gewöhnlichen Aufenthaltsorts/);
    expect(r.reason.en).toMatch(/habitual residence/);
    expect(r.primary.label?.de).toMatch(/Wohn/);
  });
});

describe('competentAuthority: more of the decision tree', () => {
  it('a zkT Jobcenter → the Land DPA for public bodies (Bavaria: BayLfD), or ask when the Land is unknown', () => {
    expect(
      ca({ controllerKind: 'jobcenter', jobcenterType: 'zugelassener-kommunaler-traeger', country: 'DE', state: 'BY' })
        .primary.id,
    ).toBe('debayldb');
    expect(
      ca({ controllerKind: 'jobcenter', jobcenterType: 'zugelassener-kommunaler-traeger', country: 'DE', state: 'NW' })
        .primary.id,
    ).toBe('denrwldi');
    const unknownLand = ca({
      controllerKind: 'jobcenter',
      jobcenterType: 'zugelassener-kommunaler-traeger',
      country: 'DE',
    });
    expect(unknownLand.askUser).toBe(true);
    expect(unknownLand.alternatives.map((d) => d.id)).toContain('debayldb');
    expect(unknownLand.alternatives.map((d) => d.id)).not.toContain('debaylda');
    expect(unknownLand.alternatives).toHaveLength(16);
  });

  it('a Jobcenter of unknown type → suggest BfDI, show the Land DPA, ask (decision_tree_de row 3)', () => {
    const r = ca({ controllerKind: 'jobcenter', jobcenterType: null, country: 'DE', state: 'HE' });
    expect(r.primary.id).toBe('debfdi');
    expect(r.alternatives.map((d) => d.id)).toEqual(['dehessbdi']);
    expect(r.askUser).toBe(true);
    expect(r.certainty).toBe('heuristic');
    // A Jobcenter without a country is in Germany (SGB II).
    expect(ca({ controllerKind: 'jobcenter', country: null }).primary.id).toBe('debfdi');
  });

  it('federal bodies → BfDI (§ 9 BDSG)', () => {
    const r = ca({ controllerKind: 'federal-body', country: 'DE', state: 'BY' });
    expect(r.primary.id).toBe('debfdi');
    expect(r.hook).toBe('§ 9 Abs. 1 BDSG');
  });

  it('every Land: public and private bodies get a Land DPA; only Bavaria differs between them', () => {
    for (const s of GERMAN_STATES) {
      const pub = ca({ controllerKind: 'state-body', country: 'DE', state: s }).primary;
      const priv = ca({ controllerKind: 'company', country: 'DE', state: s }).primary;
      expect(pub.state, s).toBe(s);
      expect(priv.state, s).toBe(s);
      if (s === 'BY') expect(pub.id).not.toBe(priv.id);
      else expect(pub.id, s).toBe(priv.id);
    }
  });

  it('Germany with an unknown kind: one answer where the Land decides alone, a choice in Bavaria', () => {
    expect(ca({ controllerKind: 'unknown', country: 'DE', state: 'HH' }).primary.id).toBe('dehmbbfdi');
    const by = ca({ controllerKind: 'unknown', country: 'DE', state: 'BY' });
    expect(by.askUser).toBe(true);
    expect(by.alternatives.map((d) => d.id).sort()).toEqual(['debaylda', 'debayldb']);
    const noLand = ca({ controllerKind: 'company', country: 'DE' });
    expect(noLand.primary.id).toBe('ask-user');
    expect(noLand.alternatives.map((d) => d.id)).toContain('debaylda');
    expect(noLand.alternatives.map((d) => d.id)).not.toContain('debayldb');
  });

  it('abroad: EU companies → their DPA as lead authority, with the local alternative; non-EU → ask; EU bodies → EDPS', () => {
    const fr = ca({ controllerKind: 'company', country: 'FR' });
    expect(fr.primary.id).toBe('frcnil');
    expect(fr.certainty).toBe('heuristic');
    expect(fr.alternatives.map((d) => d.id)).toEqual(['ask-user']);
    expect(fr.hook).toContain('Art. 56');
    const us = ca({ controllerKind: 'company', country: 'US' });
    expect(us.primary.id).toBe('ask-user');
    expect(us.reason.en).toMatch(/no lead authority/);
    expect(ca({ controllerKind: 'company', country: 'CH' }).primary.id).toBe('chedoeb');
    expect(ca({ controllerKind: 'company', country: 'UK' }).primary.id).toBe('gbico');
    expect(ca({ controllerKind: 'federal-body', country: 'EU' }).primary.id).toBe('edps');
  });

  it('never throws on odd input', () => {
    const odd = [
      null,
      undefined,
      {},
      { controllerKind: 'alien', country: 42 },
      { controllerKind: 'company', country: 'Deutschland', state: {} },
      { country: '<script>' },
    ];
    for (const x of odd) {
      const r = competentAuthority(x as unknown as CompetenceInput);
      expect(r.primary.id).toBeTruthy();
      expect(typeof r.reason.de).toBe('string');
    }
  });
});

describe('the authorities from rules.json', () => {
  it('has the BfDI, 16 Länder, Bavaria split in two, and http(s) links only', () => {
    const de = allDpas().filter((d) => d.country === 'DE');
    expect(de).toHaveLength(18);
    for (const s of GERMAN_STATES) expect(germanStateDpa(s, 'public'), s).not.toBeNull();
    expect(germanStateDpa('BY', 'public')!.id).toBe('debayldb');
    expect(germanStateDpa('BY', 'private')!.id).toBe('debaylda');
    for (const d of allDpas()) {
      for (const u of [d.complaintUrl, d.website]) if (u !== null) expect(u, d.id).toMatch(/^https?:\/\//);
    }
    expect(rules.dpas.de.find((d) => d.id === 'debayldb')!.scope).toMatch(/PUBLIC/);
    expect(rules.dpas.de.find((d) => d.id === 'debaylda')!.scope).toMatch(/PRIVATE/);
  });

  it('links the LfDI BW landing page, not the session-specific form URL', () => {
    expect(dpaById('debawueldb')!.complaintUrl).toBe('https://www.baden-wuerttemberg.datenschutz.de/');
  });

  it('has no form for NRW and Thüringen (rules.json complaint_form null): website and e-mail instead', () => {
    for (const id of ['denrwldi', 'detlfdi']) {
      const d = dpaById(id)!;
      expect(d.complaintUrl).toBeNull();
      expect(d.website).toMatch(/^https:/);
      expect(d.email).toMatch(/@/);
    }
  });
});

describe('the seat', () => {
  it('maps postcodes to Länder, border ranges included', () => {
    const cases: Record<string, string> = {
      '10115': 'BE',
      '14467': 'BB',
      '14195': 'BE',
      '20095': 'HH',
      '21073': 'HH',
      '22880': 'SH',
      '24103': 'SH',
      '28195': 'HB',
      '27568': 'HB',
      '30159': 'NI',
      '19053': 'MV',
      '39104': 'ST',
      '01067': 'SN',
      '99084': 'TH',
      '40213': 'NW',
      '45127': 'NW',
      '55116': 'RP',
      '53474': 'RP',
      '65183': 'HE',
      '63739': 'BY',
      '66111': 'SL',
      '70173': 'BW',
      '80331': 'BY',
      '89231': 'BY',
      '88131': 'BY',
      '97941': 'BW',
      '37269': 'HE',
    };
    for (const [plz, st] of Object.entries(cases)) expect(stateFromPostcode(plz), plz).toBe(st);
    for (const bad of ['', '1234', '123456', 'abcde', null, 80331.5]) expect(stateFromPostcode(bad)).toBeNull();
  });

  it('reads the seat from imprint text: German postcode, Austrian/Swiss address, city name', () => {
    expect(seatFromText(IMPRINT_TEXT)).toMatchObject({ country: 'DE', state: 'NW', source: 'postcode' });
    expect(seatFromText('Musterweg 1, 8001 Zürich, Schweiz').country).toBe('CH');
    expect(seatFromText('Sitz der Gesellschaft: Stuttgart').state).toBe('BW');
    expect(seatFromText('nothing here').country).toBeNull();
    expect(seatFromText(42).country).toBeNull();
  });

  it('normalises Land names and codes, and trusts only national TLDs', () => {
    expect(normaliseState('DE-HH')).toBe('HH');
    expect(normaliseState('Thüringen')).toBe('TH');
    expect(normaliseState('Bavaria')).toBe('BY');
    expect(normaliseState('XX')).toBeNull();
    expect(countryFromHost('www.jobcenter-musterstadt.de')).toBe('DE');
    expect(countryFromHost('linktr.ee')).toBeNull();
    expect(countryFromHost('commission.europa.eu')).toBe('EU');
  });

  it('tells gE from zkT by rules.json jobcenter_type signals', () => {
    expect(jobcenterTypeFromText(IMPRINT_TEXT)).toBe('gemeinsame-einrichtung');
    expect(jobcenterTypeFromText('Kommunales Jobcenter des Landkreises Musterkreis (Optionskommune)')).toBe(
      'zugelassener-kommunaler-traeger',
    );
    expect(jobcenterTypeFromText('Jobcenter Musterstadt')).toBeNull();
  });
});

describe('controllerFromReport', () => {
  it('the Jobcenter profile with the website imprint: a gE Jobcenter in NRW → BfDI', () => {
    const g = controllerFromReport(profileReport(), IMPRINT_TEXT);
    expect(g).toMatchObject({
      controllerKind: 'jobcenter',
      jobcenterType: 'gemeinsame-einrichtung',
      country: 'DE',
      state: 'NW',
      publicBody: true,
      name: 'Jobcenter Musterstadt',
    });
    expect(g.address).toBe('Musterstraße 12, 45127 Musterstadt');
    expect(competentAuthority(g).primary.id).toBe('debfdi');
  });

  it('the Linktree page alone: a Jobcenter (authority + name) in Germany of unknown type → BfDI proposed, ask', () => {
    const g = controllerFromReport(linktreeReport());
    expect(g).toMatchObject({ controllerKind: 'jobcenter', jobcenterType: null, country: 'DE', state: null });
    const r = competentAuthority(g);
    expect(r.primary.id).toBe('debfdi');
    expect(r.askUser).toBe(true);
  });

  it('never throws on odd reports', () => {
    for (const x of [null, undefined, {}, { page: 1, authority: 'x', imprint: [] }, { url: 'javascript:alert(1)' }]) {
      expect(() => controllerFromReport(x as unknown as Report, 42 as unknown as string)).not.toThrow();
    }
    expect(controllerFromReport(null).controllerKind).toBe('unknown');
  });
});
