/**
 * The complaint model (lib/export/complaint/model.ts) as Markdown (CommonMark + GFM tables).
 *
 * Every string is treated as untrusted — page titles, handles, cookie names, imprint snippets and
 * URLs come from pages that may be hostile. Each one is flattened to a single line (cleanLine:
 * no newlines, no control or bidi characters, capped) and then escaped so it can only ever be
 * literal text: no raw HTML (`<` escaped), no links or images (`[`, `]` escaped, so
 * `[x](javascript:…)` stays text), no code spans, emphasis or strikethrough, no table breakout
 * (`|` escaped), no entities, no block syntax at the start of a line (headings, lists, quotes).
 * The only links are `<https://…>` autolinks of values the model marks as `href` and that pass
 * `safeHref` (http/https/mailto) — `javascript:` can never become a link, and page text such as
 * "www.x.de" or "http://tracker.example/x.gif" does not become one in a GFM renderer either.
 */
import { type Block, type Complaint, cleanLine, safeHref } from './complaint/model';

const CELL_MAX = 200;
const LINE_MAX = 600;
const PARAGRAPH_MAX = 4_000;

/**
 * Escapes a clean line for Markdown inline context. Characters escaped everywhere: \ ` * [ ] < > | ~;
 * `.` before a letter, `@` before a letter or digit and `:` before `//` (so nothing becomes an autolink).
 * `_` only where it could delimit emphasis (not between two letters/digits: "jobcenter_musterstadt"
 * cannot open or close emphasis, CommonMark § 6.2). `&` only where it would start an entity.
 * At the start: block markers (#, +, -, =, "1." / "1)").
 */
export function escapeMarkdown(line: string, atLineStart = true): string {
  let out = line
    .replace(/[\\`*[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
    // No autolinks of page text (GFM's www./http:// extension, linkify's bare "evil.com" and
    // e-mail addresses): an escaped "\." "\:" "\@" renders as the same character but splits
    // the text a linkifier scans (markdown-it links before it joins escapes; cmark-gfm matches
    // "www." and "://" literally). Checked with markdown-it + linkify in markdown-gfm.test.ts.
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/\.(?=\p{L})|@(?=[\p{L}\p{N}])/gu, (c) => `\\${c}`)
    .replace(/_/g, (c, i: number, s: string) =>
      /[\p{L}\p{N}]/u.test(s[i - 1] ?? '') && /[\p{L}\p{N}]/u.test(s[i + 1] ?? '') ? c : '\\_',
    );
  if (atLineStart) out = out.replace(/^([#+=-])/, '\\$1').replace(/^(\d{1,9})([.)])/, '$1\\$2');
  return out;
}

/** Untrusted value → one escaped Markdown line. */
export function mdText(x: unknown, max = LINE_MAX, atLineStart = true): string {
  return escapeMarkdown(cleanLine(x, max), atLineStart);
}

/** Heading text: not at a block start, but a trailing '#' would be read as a closing sequence. */
const mdHeading = (x: unknown, max: number): string => mdText(x, max, false).replace(/#$/, '\\#');

/** An autolink for a safe http(s)/mailto href, with the characters Markdown could misread encoded. */
function mdLink(href: unknown): string | null {
  const safe = safeHref(href);
  if (!safe) return null;
  const encoded = safe.replace(/[<>|`\s\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `<${encoded}>`;
}

function cell(x: unknown): string {
  const s = mdText(x, CELL_MAX, false);
  return s === '' ? '–' : s;
}

function renderBlock(b: Block, out: string[]): void {
  switch (b.kind) {
    case 'paragraph': {
      const text = mdText(b.text, PARAGRAPH_MAX);
      if (!text) return;
      out.push(b.tone ? `> ${text}` : text, '');
      return;
    }
    case 'fields': {
      for (const r of b.rows) {
        // Page text never autolinks (escapeMarkdown), so a mailto: href is a link of its own.
        const link = r.href && /^(?:https?|mailto):/i.test(r.href) ? mdLink(r.href) : null;
        const value =
          link && cleanLine(r.value, LINE_MAX) === cleanLine(r.href, LINE_MAX)
            ? link
            : `${mdText(r.value, LINE_MAX, false)}${link ? ` (${link})` : ''}`;
        out.push(`- **${mdText(r.label, 80)}:** ${value || '–'}`);
      }
      out.push('');
      return;
    }
    case 'list': {
      b.items.forEach((item, i) => {
        const marker = b.ordered ? `${i + 1}.` : '-';
        const at = item.at ? `**${mdText(item.at, 40)}** – ` : '';
        out.push(`${marker} ${at}${mdText(item.text, LINE_MAX, !at) || '–'}`);
      });
      out.push('');
      return;
    }
    case 'table': {
      if (b.caption) out.push(`**${mdText(b.caption, LINE_MAX, false)}**`, '');
      const cols = b.columns.length || 1;
      out.push(`| ${b.columns.map(cell).join(' | ')} |`);
      out.push(`|${' --- |'.repeat(cols)}`);
      for (const row of b.rows) {
        const cells = Array.from({ length: cols }, (_, i) => cell(row[i]));
        out.push(`| ${cells.join(' | ')} |`);
      }
      out.push('');
      if (b.note) out.push(mdText(b.note), '');
      return;
    }
    case 'image':
      // A data: image has no place in a Markdown letter; the annex list names the screenshot
      // and the HTML version shows it.
      return;
  }
}

/** The whole complaint as Markdown; a pure function of the model, byte-stable for golden tests. */
export function renderComplaintMarkdown(c: Complaint): string {
  const out: string[] = [];
  try {
    out.push(`# ${mdHeading(c.title, 300)}`, '', mdText(c.subtitle, 400), '');
    for (const s of c.sections ?? []) {
      out.push(`## ${mdHeading(s.heading, 200)}`, '');
      for (const b of s.blocks ?? []) renderBlock(b, out);
    }
  } catch {
    // A malformed model (hand-edited, imported) still yields what was rendered so far.
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
