// The Markdown export through a real renderer: markdown-it with linkify (GFM's autolinks for
// www. and http(s)://, plus fuzzy links for bare domains like "evil.com" and e-mail addresses,
// which is stricter than github.com's cmark-gfm) and raw HTML allowed. The only links in the
// rendered HTML may be the ones the renderer marks as links (`<https://…>` autolinks).
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { buildComplaint } from '@/lib/export/complaint/build';
import { escapeMarkdown, renderComplaintMarkdown } from '@/lib/export/markdown';
import type { Report } from '@/lib/verdict/report';
import { jobcenterInput, linktreeReport } from '../helpers/jobcenter-case';

const md = new MarkdownIt({ html: true, linkify: true });

const BAIT = [
  'evil.com',
  'www.x.de',
  'http://tracker.example/x.gif',
  'https://phish.example/login?next=/',
  'mail@evil.com',
  'ftp://files.example/a',
];

function baitedReport(): Report {
  const r = linktreeReport();
  const text = `Siehe ${BAIT.join(' oder ')}`;
  return {
    ...r,
    page: { ...r.page, title: text, profileName: `Jobcenter ${BAIT[0]}` },
    requests: {
      ...r.requests,
      thirdPartyHosts: [{ ...r.requests.thirdPartyHosts[0]!, host: 'www.tracker-evil.com', owner: 'Owner evil.com' }],
    },
    cookies: { total: 1, thirdParty: 1, items: [{ ...r.cookies.items[0]!, name: 'x.de', domain: '.www.x.de' }] },
    findings: [{ ...r.findings[0]!, evidence: text, text: { de: text, en: text } }],
    dmInvitations: [text],
  };
}

/** Our links: the `<http(s)://…>` and `<mailto:…>` autolinks the renderer writes (mdLink), as markdown-it normalises them. */
function markedLinks(source: string): Set<string> {
  return new Set(
    [...source.matchAll(/(?<!\\)<((?:https?:\/\/|mailto:)[^>\s]+)>/g)].map((m) => md.normalizeLink(m[1]!)),
  );
}

function renderedLinks(html: string): string[] {
  return [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

describe('Markdown export in a GFM renderer with linkify', () => {
  it.each(['de', 'en'] as const)('page text that looks like a link stays text (%s)', (lang) => {
    const input = jobcenterInput(lang);
    const source = renderComplaintMarkdown(
      buildComplaint({
        ...input,
        reports: [baitedReport(), ...input.reports.slice(1)],
        userStatement: `Ich habe ${BAIT.join(', ')} gesehen.`,
      }),
    );
    const html = md.render(source);
    const ours = markedLinks(source);
    const links = renderedLinks(html);
    expect(links.length).toBeGreaterThan(0); // the report's own URLs are links
    for (const href of links) expect(ours, `unexpected link ${href}`).toContain(href);
    for (const bait of BAIT) expect(links.some((href) => href.includes(bait.replace(/^\w+:\/\//, '')))).toBe(false);
    // …and reads as the page wrote it.
    const text = html.replace(/<[^>]+>/g, '');
    for (const bait of BAIT) expect(text).toContain(bait.replace(/&/g, '&amp;'));
  });

  it('the escaping keeps every character of the text', () => {
    for (const line of [...BAIT, 'a.b', '1.5 Mio.', 'z.B. Google', 'x:y', 'user@host', 'http:/x']) {
      expect(md.renderInline(escapeMarkdown(line, false))).toBe(md.utils.escapeHtml(line));
    }
  });
});
