// The user's ticked observations in the complaint: listed in the user's own block, raising their
// findings (user-reported) in the assessment, carried into the evidence bundle with a hash.
import { describe, expect, it } from 'vitest';
import { buildEvidenceBundle, verifyBundle } from '@/lib/export/bundle';
import { sha256Hex } from '@/lib/history/sha256';
import { buildComplaint } from '@/lib/export/complaint/build';
import type { ComplaintInput } from '@/lib/export/complaint/model';
import { renderComplaintMarkdown } from '@/lib/export/markdown';
import type { Report } from '@/lib/verdict/report';
import { jobcenterInput, linktreeReport, profileReport } from '../helpers/jobcenter-case';

const section = (md: string, from: string, to: string) => md.slice(md.indexOf(from), md.indexOf(to));

describe('user observations in the complaint', () => {
  it('the WhatsApp tick gives the authority a red, user-reported R-AUTH-06 finding with its hooks, and the statement stands in block 7', () => {
    const input: ComplaintInput = {
      ...jobcenterInput('de'),
      userStatement: undefined,
      userObservations: ['staff-whatsapp-case'],
    };
    const c = buildComplaint(input);
    const found = c.findings.filter((f) => f.id === 'authority-staff-whatsapp');
    expect(found).toEqual([
      {
        id: 'authority-staff-whatsapp',
        severity: 'red',
        certainty: 'user-reported',
        text: 'Nutzerangabe: Mitarbeitende besprechen Fälle über WhatsApp.',
        evidence: '–',
        legal: ['Art. 5(1)(f), 32 GDPR', '§ 35 SGB I', '§§ 67d ff., 80 SGB X', 'BfDI Rundschreiben 14.04.2020'],
        // The authority's own presence (the profile), not the link page it sends people to.
        url: profileReport().url,
        at: profileReport().visitedAt,
      },
    ]);
    const md = renderComplaintMarkdown(c);
    const assessment = section(md, '## 6.', '## 7.');
    expect(assessment).toContain('Nutzerangabe: Mitarbeitende besprechen Fälle über WhatsApp.');
    expect(assessment).toContain('§ 35 SGB I');
    expect(assessment).toContain('eigene Angabe');
    const own = section(md, '## 7.', '## 8.');
    expect(own).toContain('Mitarbeitende boten an, meinen Fall über WhatsApp zu besprechen.');
    expect(own).not.toContain('Keine eigenen Angaben');
  });

  it('ticks come before the free text, in English too; comments off for privacy with DMs open is R-AUTH-08, user-reported', () => {
    const c = buildComplaint({ ...jobcenterInput('en'), userObservations: ['dm-open', 'comments-off-for-privacy'] });
    // The profile's own DM invitation completes the ticked claim (the report read no claim itself).
    expect(c.findings.filter((f) => f.certainty === 'user-reported').map((f) => f.id)).toEqual([
      'comments-off-dms-open-reported',
    ]);
    // One tick alone is half of the rule: the page shows no claim of its own.
    expect(
      buildComplaint({ ...jobcenterInput('en'), userObservations: ['dm-open'] }).findings.some(
        (f) => f.certainty === 'user-reported',
      ),
    ).toBe(false);
    const own = c.sections.find((s) => s.id === 'user-reported')!;
    expect(own.blocks[1]).toEqual({
      kind: 'list',
      items: [
        { text: 'The profile says comments are switched off for data-protection reasons.' },
        { text: 'The profile accepts direct messages (I could send one or was asked to).' },
      ],
    });
    expect(own.blocks[2]).toMatchObject({ kind: 'paragraph' });
  });

  it('no finding for a site that is not a public body; unknown, repeated or malformed ticks are ignored', () => {
    const company: Report = {
      ...linktreeReport(),
      authority: { ...linktreeReport().authority, isAuthority: false, isSocialBenefitBody: false },
    };
    const c = buildComplaint({
      ...jobcenterInput('de'),
      reports: [company],
      userObservations: ['staff-whatsapp-case'],
    });
    expect(c.findings.some((f) => f.id === 'authority-staff-whatsapp')).toBe(false);
    for (const odd of [
      ['nonsense', 'staff-whatsapp-case', 'staff-whatsapp-case'],
      'staff-whatsapp-case',
      [{ id: 'staff-whatsapp-case' }],
      null,
    ] as unknown[]) {
      const x = buildComplaint({
        ...jobcenterInput('de'),
        userStatement: undefined,
        userObservations: odd as string[],
      });
      const list = x.sections.find((s) => s.id === 'user-reported')!.blocks.filter((b) => b.kind === 'list');
      expect(list.length, JSON.stringify(odd)).toBe(Array.isArray(odd) && odd.includes('staff-whatsapp-case') ? 1 : 0);
      expect(x.findings.filter((f) => f.id === 'authority-staff-whatsapp').length, JSON.stringify(odd)).toBe(
        list.length,
      );
    }
  });

  it('the evidence bundle keeps each tick as a user-reported statement with its hash, then the free text', async () => {
    const input = { ...jobcenterInput('de'), userObservations: ['staff-whatsapp-case'] };
    const bundle = await buildEvidenceBundle(input);
    expect(bundle.userStatements.map((s) => s.text)).toEqual([
      'Mitarbeitende boten an, meinen Fall über WhatsApp zu besprechen.',
      input.userStatement,
    ]);
    expect(bundle.userStatements[0]!.sha256).toBe(
      await sha256Hex('Mitarbeitende boten an, meinen Fall über WhatsApp zu besprechen.'),
    );
    expect(bundle.userStatements.every((s) => s.markedAs === 'user-reported')).toBe(true);
    expect(await verifyBundle(bundle)).toEqual({ ok: true, mismatches: [], unchecked: [] });
  });
});
