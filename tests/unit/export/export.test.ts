// The complaint export: model (lib/export/complaint/), Markdown and HTML renderers, evidence
// bundle. Golden files for the Jobcenter case; hostile page content must come out inert.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEvidenceBundle, verifyBundle } from '@/lib/export/bundle';
import { buildComplaint } from '@/lib/export/complaint/build';
import { type ComplaintInput, safeHref } from '@/lib/export/complaint/model';
import { escapeHtml, renderComplaintHtml } from '@/lib/export/html';
import { mdText, renderComplaintMarkdown } from '@/lib/export/markdown';
import { finishExport, prepareExport } from '@/lib/export/package';
import { sha256Hex } from '@/lib/history/sha256';
import { RULES_VERSION, type Report } from '@/lib/verdict/report';
import { reportSchemaErrors } from '../../report-schema';
import {
  IMPRINT_TEXT,
  LINKTREE_AT,
  PROFILE_AT,
  TINY_JPEG,
  jobcenterInput,
  jobcenterPackageInput,
  linktreeReport,
  profileReport,
} from '../helpers/jobcenter-case';

const GOLDEN = path.resolve(import.meta.dirname, '../../golden/export');

describe('golden files: the Jobcenter case', () => {
  it('the helper reports match docs/report-schema.json', () => {
    expect(reportSchemaErrors(profileReport())).toEqual([]);
    expect(reportSchemaErrors(linktreeReport())).toEqual([]);
  });

  it.each(['de', 'en'] as const)('jobcenter.%s.md matches byte for byte (UPDATE_GOLDEN=1 rewrites)', async (lang) => {
    const prepared = await prepareExport(jobcenterPackageInput(lang));
    const md = new TextDecoder().decode(prepared.summaries.find((f) => f.kind === 'summary-md')!.data);
    const file = path.join(GOLDEN, `jobcenter.${lang}.md`);
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, md);
    }
    expect(md).toBe(readFileSync(file, 'utf8'));
  });

  it('says what the story says: BfDI, the facts in time order, the findings as preliminary, the staff statement apart', () => {
    const c = buildComplaint(jobcenterInput('de'));
    expect(c.authority.primary.id).toBe('debfdi');
    expect(c.controller).toMatchObject({
      controllerKind: 'jobcenter',
      jobcenterType: 'gemeinsame-einrichtung',
      name: 'Jobcenter Musterstadt',
    });
    expect(c.visits.map((v) => v.visitedAt)).toEqual([PROFILE_AT, LINKTREE_AT]);
    const facts = c.sections.find((s) => s.id === 'facts')!.blocks.find((b) => b.kind === 'list');
    const times = facts && facts.kind === 'list' ? facts.items.map((i) => i.at!) : [];
    expect(times.length).toBeGreaterThan(10);
    expect([...times].sort()).toEqual(times);
    const md = renderComplaintMarkdown(c);
    expect(md).toContain('Vorläufige Einschätzung');
    expect(md).toContain('keine Rechtsberatung');
    expect(md).toContain('16 Cookies, davon 16 vor jeder Interaktion');
    expect(md).toContain('68 an 15 fremde Hosts');
    const user = md.slice(md.indexOf('## 7. Eigene Angaben'), md.indexOf('## 8. Bitte'));
    expect(user).toContain('WhatsApp');
    expect(md.indexOf('WhatsApp')).toBe(md.indexOf(user) + user.indexOf('WhatsApp'));
    // Proper German, no transliterations from rules.json templates.
    expect(md).toMatch(/Vorläufige rechtliche Einordnung/);
    expect(md).not.toMatch(/Vorlaeufig|Gruessen|Massnahmen|gemaess/);
    const en = renderComplaintMarkdown(buildComplaint(jobcenterInput('en')));
    expect(en).toContain('preliminary assessment'.replace('p', 'P'));
    expect(en).toContain('not legal advice');
  });

  it('a profile reached inside the platform app says so in the facts, at the time it was reached', () => {
    const factsOf = (input: ComplaintInput) => {
      const list = buildComplaint(input)
        .sections.find((s) => s.id === 'facts')!
        .blocks.find((b) => b.kind === 'list');
      return list && list.kind === 'list' ? list.items : [];
    };
    const inApp = {
      ...jobcenterInput('de'),
      reports: [linktreeReport(), { ...profileReport(), navigation: 'history' as const }],
    };
    const said = factsOf(inApp).filter((i) => i.text.includes('innerhalb der App'));
    expect(said.map((i) => i.at)).toEqual([PROFILE_AT]);
    expect(factsOf(jobcenterInput('de')).some((i) => i.text.includes('innerhalb der App'))).toBe(false);
    expect(renderComplaintMarkdown(buildComplaint({ ...inApp, lang: 'en' }))).toContain(
      "opened inside the platform's app",
    );
  });

  it('the HTML version of the same model is a complete, script-free page with the strict CSP', () => {
    const html = renderComplaintHtml(buildComplaint(jobcenterInput('de')));
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('@media print');
    expect(html).toContain('href="https://formulare.bfdi.bund.de/lip/action/invoke.do?id=BfDIBeschwerde"');
    expect(html.length).toBeLessThan(60_000);
  });
});

// ---------------------------------------------------------------------------------------------

const XSS = [
  '<img src=x onerror=alert(1)>',
  '</script><script>alert(1)</script>',
  '[x](javascript:alert(1))',
  '`rm -rf`',
  'a|b|c',
  'line1\n# pwned\n\n- item',
  '<javascript:alert(1)>',
  '&lt;b&gt;',
  '\u202Eevil',
];
const PAYLOAD = XSS.join(' ');

function hostileReport(): Report {
  const r = linktreeReport();
  return {
    ...r,
    url: 'https://linktr.ee/x?q=<img src=x onerror=alert(1)>',
    page: { title: `Title ${PAYLOAD}`, profileName: `Jobcenter ${PAYLOAD}`, handle: 'a_b`c|d' },
    requests: {
      ...r.requests,
      thirdPartyHosts: [
        {
          ...r.requests.thirdPartyHosts[0]!,
          host: `evil.example ${PAYLOAD}`,
          owner: `</td></tr></table><script>alert(1)</script>`,
        },
      ],
    },
    cookies: {
      total: 1,
      thirdParty: 1,
      items: [{ ...r.cookies.items[0]!, name: `ck ${PAYLOAD}`, domain: '.x|y.example' }],
    },
    findings: [{ ...r.findings[0]!, evidence: PAYLOAD, text: { de: `Text ${PAYLOAD}`, en: `Text ${PAYLOAD}` } }],
    bioLinks: [{ url: 'javascript:alert(1)', linkInBio: true, viaRedirector: false }],
    messengers: [{ kind: 'whatsapp', url: 'javascript:alert(document.cookie)' }],
    dmInvitations: [PAYLOAD],
  };
}

function hostileInput(lang: 'de' | 'en' = 'de'): ComplaintInput {
  return {
    site: `site ${PAYLOAD}`,
    reports: [hostileReport()],
    lang,
    userStatement: `Statement ${PAYLOAD}\n\n## Not a heading`,
    complainant: { name: '<b>Eve</b>', address: 'Street 1\n# heading', email: 'javascript:alert(1)' },
    imprintText: `Impressum\n${PAYLOAD}\nMusterstraße 1\n10115 Berlin`,
    privacyText: PAYLOAD,
    screenshot: { dataUrl: 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', takenAt: 'bad' },
    toolVersion: '0.1.0',
    now: '2026-03-02T08:40:00.000Z',
  };
}

/** Our own tags (as the renderer writes them); anything else in angle brackets is an injection. */
const OWN_TAGS =
  /<\/?(?:!DOCTYPE html|html|head|meta|title|style|body|header|main|section|h1|h2|p|dl|dt|dd|ul|ol|li|time|table|caption|thead|tbody|tr|th|td|a|figure|img|figcaption)(?:\s[^<>]*)?>/g;

function assertSafeHtml(html: string): void {
  const body = html.replace(/<style>[\s\S]*?<\/style>/, '');
  expect(body.replace(OWN_TAGS, '')).not.toContain('<');
  expect(body).not.toMatch(/<script/i);
  expect(body).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
  expect(body).not.toMatch(/href\s*=\s*["']?\s*javascript:/i);
  expect(body).not.toMatch(/src\s*=\s*["']?data:text/i);
  expect(body).not.toContain('\u202E');
}

/** Markdown lines: no raw HTML, no links but <http(s)://…> and <mailto:…> autolinks, no injected block syntax. */
function assertSafeMarkdown(md: string): void {
  expect(md).not.toMatch(/(?<!\\)<(?!https?:\/\/|mailto:)[a-z/!]/i);
  expect(md).not.toMatch(/(?<!\\)\]\(/);
  expect(md).not.toMatch(/(?<!\\)`/);
  expect(md).not.toContain('\u202E');
  for (const line of md.split('\n')) {
    expect(line).not.toMatch(/^#+ (?:pwned|Not a heading)/);
    expect(line).not.toMatch(/^[-*] item/);
  }
  // Tables: every row has as many unescaped pipes as its header.
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('| ')) continue;
    const pipes = (l: string) => (l.match(/(?<!\\)\|/g) ?? []).length;
    let j = i;
    const head = pipes(lines[i]!);
    while (j < lines.length && lines[j]!.startsWith('|')) expect(pipes(lines[j++]!), lines[j - 1]).toBe(head);
    i = j;
  }
}

describe('hostile page content is neutralised', () => {
  it.each(['de', 'en'] as const)('Markdown (%s)', (lang) => {
    const md = renderComplaintMarkdown(buildComplaint(hostileInput(lang)));
    assertSafeMarkdown(md);
    expect(md).toContain('\\<img src=x onerror=alert(1)\\>');
    expect(md).toContain('\\[x\\](javascript:alert(1))');
    expect(md).toContain('\\`rm -rf\\`');
    expect(md).toContain('a\\|b\\|c');
    expect(md).toContain('line1 # pwned - item');
    expect(md).toContain('\\&lt;b\\&gt;');
  });

  it.each(['de', 'en'] as const)('HTML (%s)', (lang) => {
    const html = renderComplaintHtml(buildComplaint(hostileInput(lang)));
    assertSafeHtml(html);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&amp;lt;b&amp;gt;');
    // javascript: bio and messenger links stay text.
    expect(html).toContain('javascript:alert(document.cookie)');
    // The screenshot is not an image data URL: not embedded.
    expect(html).not.toContain('data:text/html');
  });

  it('a newline in a title cannot start a new Markdown block', () => {
    expect(mdText('Title\n# pwned')).toBe('Title # pwned');
    expect(mdText('# pwned')).toBe('\\# pwned');
    expect(mdText('1. item')).toBe('1\\. item');
    expect(mdText('jobcenter_musterstadt _emph_')).toBe('jobcenter_musterstadt \\_emph\\_');
    expect(mdText('x'.repeat(1000), 50)).toHaveLength(50);
  });

  it('safeHref links only http(s) and mailto', () => {
    expect(safeHref('https://example.org/a b')).toBe('https://example.org/a%20b');
    for (const bad of [
      'javascript:alert(1)',
      ' javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:text/html,x',
      'vbscript:x',
      '//evil',
      'https://user:pw@x.org/',
      42,
    ])
      expect(safeHref(bad)).toBeNull();
  });

  it('property: any string in a title, cookie name or host renders inert in both formats', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 80 }), (a, b) => {
        const r = linktreeReport();
        const report: Report = {
          ...r,
          page: { title: a, profileName: b, handle: a },
          cookies: { total: 1, thirdParty: 0, items: [{ ...r.cookies.items[0]!, name: a }] },
          requests: { ...r.requests, thirdPartyHosts: [{ ...r.requests.thirdPartyHosts[0]!, host: b, owner: a }] },
        };
        const c = buildComplaint({ ...jobcenterInput('de'), reports: [report], userStatement: a, imprintText: b });
        assertSafeHtml(renderComplaintHtml(c));
        assertSafeMarkdown(renderComplaintMarkdown(c));
      }),
      { numRuns: 150 },
    );
  });

  it('escapeHtml escapes the five characters and flattens lines', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\n`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;');
  });
});

describe('empty and odd inputs never throw', () => {
  const odd: unknown[] = [
    {},
    { reports: null, lang: 'fr', now: 'not a date' },
    {
      reports: [
        null,
        1,
        'x',
        [],
        {
          url: 5,
          visitedAt: {},
          page: null,
          findings: 'x',
          cookies: { items: [null, 3] },
          requests: { thirdPartyHosts: [null] },
        },
      ],
    },
    {
      reports: [
        {
          visitedAt: '2026-13-45T99:00:00Z',
          requests: { thirdPartyHosts: [{ host: {}, requests: 'many', firstSeenAt: 'x' }] },
        },
      ],
      now: Number.NaN,
    },
    {
      site: 123,
      complainant: 'x',
      screenshot: 'x',
      userStatement: 42,
      imprintText: {},
      jobcenterType: 'nope',
      toolVersion: null,
    },
  ];
  it.each(odd.map((x, i) => [i, x]))('case %i', async (_i, x) => {
    const c = buildComplaint(x as ComplaintInput);
    expect(c.sections.length).toBeGreaterThan(5);
    expect(renderComplaintMarkdown(c)).toContain('#');
    expect(renderComplaintHtml(c)).toContain('</html>');
    const b = await buildEvidenceBundle(x as ComplaintInput);
    expect((await verifyBundle(b)).ok).toBe(true);
  });

  it('renderers survive a malformed model', () => {
    const broken = {
      title: null,
      sections: [
        {
          id: 'x',
          heading: 1,
          blocks: [{ kind: 'table', columns: [], rows: [[null]] }, { kind: 'list', items: [{}] }, { kind: 'unknown' }],
        },
      ],
    };
    expect(() => renderComplaintMarkdown(broken as never)).not.toThrow();
    expect(() => renderComplaintHtml(broken as never)).not.toThrow();
    expect(() => renderComplaintHtml(null as never)).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------

describe('evidence bundle', () => {
  const files = (done: Awaited<ReturnType<typeof finishExport>>) =>
    Object.fromEntries(done.files.map((f) => [f.name, f.data]));

  it('carries reports, request and cookie lists, snapshots, versions and every file hash, and verifies after a JSON round trip', async () => {
    const done = await finishExport(await prepareExport(jobcenterPackageInput('de')));
    const b = done.bundle;
    expect(b.format).toBe('datenschutz-ampel/evidence-bundle');
    expect(b.version).toBe(2);
    expect(b.tool).toEqual({ name: 'Datenschutz-Ampel', version: '0.1.0', rulesVersion: RULES_VERSION });
    expect(b.reports.map((r) => r.url)).toEqual([profileReport().url, linktreeReport().url]);
    expect(b.requests).toHaveLength(18);
    expect(b.requests.filter((r) => r.page === linktreeReport().url).reduce((sum, r) => sum + r.requests, 0)).toBe(68);
    expect(b.cookies).toHaveLength(21);
    expect(b.snapshots.imprint!.sha256).toBe(await sha256Hex(IMPRINT_TEXT));
    expect(b.userStatements[0]!.markedAs).toBe('user-reported');
    expect(b.competentAuthority.id).toBe('debfdi');
    // The screenshot is a file of its own now, hashed over its bytes (= sha256sum of the .jpg).
    expect(JSON.stringify(b)).not.toContain('data:image');
    const jpeg = new Uint8Array(Buffer.from(TINY_JPEG.split(',')[1]!, 'base64'));
    expect(b.files.find((f) => f.kind === 'screenshot')).toEqual({
      name: 'jobcenter.screenshot.jpg',
      role: 'attachment',
      kind: 'screenshot',
      mediaType: 'image/jpeg',
      bytes: jpeg.byteLength,
      sha256: await sha256Hex(jpeg),
      takenAt: '2026-03-02T08:15:40.000Z',
    });
    expect(b.files.map((f) => f.name)).toEqual([
      'jobcenter.summary.md',
      'jobcenter.summary.html',
      'jobcenter.screenshot.jpg',
      'jobcenter.har',
      'jobcenter.requests.csv',
      'jobcenter.cookies.csv',
    ]);
    expect(await verifyBundle(b, files(done))).toEqual({ ok: true, mismatches: [], unchecked: [] });
    const roundTrip = JSON.parse(JSON.stringify(b, null, 2)) as unknown;
    expect(await verifyBundle(roundTrip, files(done))).toEqual({ ok: true, mismatches: [], unchecked: [] });
    // Without the files, only what the bundle holds itself is checked.
    expect(await verifyBundle(roundTrip)).toMatchObject({ ok: true, unchecked: b.files.map((f) => f.name) });
  });

  it('hashes run one way: attachments -> summaries -> bundle', async () => {
    const prepared = await prepareExport(jobcenterPackageInput('en'));
    const done = await finishExport(prepared, [
      {
        name: 'jobcenter.summary.pdf',
        kind: 'summary-pdf',
        mediaType: 'application/pdf',
        data: new TextEncoder().encode('%PDF-1.7 test'),
      },
    ]);
    const text = (kind: string) => new TextDecoder().decode(done.files.find((f) => f.kind === kind)!.data);
    for (const a of prepared.attachments) {
      expect(text('summary-md')).toContain(a.sha256);
      expect(text('summary-html')).toContain(a.sha256);
      expect(prepared.printHtml).toContain(a.sha256);
    }
    expect(text('summary-md')).toContain(await sha256Hex(IMPRINT_TEXT));
    const bundleText = text('bundle');
    for (const f of done.files.filter((x) => x.kind !== 'bundle')) expect(bundleText).toContain(f.sha256);
    // The PDF the caller rendered is listed as a summary.
    expect(done.bundle.files.find((f) => f.kind === 'summary-pdf')).toMatchObject({
      role: 'summary',
      name: 'jobcenter.summary.pdf',
    });
    expect(done.totalBytes).toBe(done.files.reduce((sum, f) => sum + f.data.byteLength, 0));
    // Only the print rendering carries the screenshot itself.
    expect(text('summary-html')).not.toContain('data:image/jpeg');
    expect(prepared.printHtml).toContain(`<img src="${TINY_JPEG}"`);
  });

  it('a tampered text, report, statement or file fails verification', async () => {
    const done = await finishExport(await prepareExport(jobcenterPackageInput('de')));
    const t = JSON.parse(JSON.stringify(done.bundle)) as typeof done.bundle;
    t.snapshots.imprint!.text = t.snapshots.imprint!.text.replace('Musterstraße 12', 'Musterstraße 13');
    t.snapshots.privacy!.text += ' ';
    t.reports[1]!.requests.thirdParty = 3;
    t.userStatements[0]!.text = 'Something else';
    const received = files(done);
    const csv = received['jobcenter.cookies.csv']!.slice();
    csv[csv.length - 3] = csv[csv.length - 3]! ^ 1;
    const v = await verifyBundle(t, { ...received, 'jobcenter.cookies.csv': csv });
    expect(v.ok).toBe(false);
    expect(v.mismatches.sort()).toEqual([
      'files.jobcenter.cookies.csv',
      'reports',
      'snapshots.imprint',
      'snapshots.privacy',
      'userStatements.0',
    ]);
  });

  it('version 1 bundles (inline PNG screenshot) still verify', async () => {
    const PNG =
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const v2 = await buildEvidenceBundle(jobcenterInput('de'));
    const png = new Uint8Array(Buffer.from(PNG.split(',')[1]!, 'base64'));
    const { files: _files, canonicalization: _c, ...rest } = v2;
    const v1 = {
      ...rest,
      version: 1,
      screenshot: {
        dataUrl: PNG,
        takenAt: '2026-03-02T08:14:30.000Z',
        sha256: await sha256Hex(png),
        hashOf: 'image-bytes',
      },
    };
    expect(await verifyBundle(v1)).toEqual({ ok: true, mismatches: [], unchecked: [] });
    const tampered = { ...v1, screenshot: { ...v1.screenshot, dataUrl: PNG.replace('iVBOR', 'iVBOS') } };
    expect((await verifyBundle(tampered)).mismatches).toEqual(['screenshot']);
  });

  it('verifyBundle rejects garbage without throwing', async () => {
    for (const x of [
      null,
      'x',
      42,
      [],
      { format: 'datenschutz-ampel/evidence-bundle', version: 2 },
      { format: 'datenschutz-ampel/evidence-bundle', version: 3 },
    ]) {
      const v = await verifyBundle(x);
      expect(v.ok).toBe(false);
      expect(v.mismatches.length).toBeGreaterThan(0);
    }
  });
});
