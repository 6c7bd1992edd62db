/**
 * The complaint model (lib/export/complaint/model.ts) as one self-contained, printable HTML page:
 * inline CSS with print styles, no scripts, no external resources, and a strict CSP
 * (`default-src 'none'; style-src 'unsafe-inline'; img-src data:`) so that even a rendering bug
 * could not run code or load anything. Every string is HTML-escaped (page-derived or not); links
 * only for hrefs that pass `safeHref` (http/https/mailto).
 *
 * One renderer for the saved HTML file, the extension's print view and the CLI's PDF: the file
 * names the screenshot as an attachment (with its SHA-256) and does not carry it, the print view
 * and the PDF are rendered with `images` and show it in place, as a validated base64 data:image
 * URL (the PDF is sent alone to upload forms, and must show what the user saw).
 */
import { type Block, type Complaint, cleanLine, safeHref } from './complaint/model';

const LINE_MAX = 600;
const CELL_MAX = 200;
const PARAGRAPH_MAX = 4_000;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Untrusted value → escaped single-line text for element content or a quoted attribute. */
export function escapeHtml(x: unknown, max = LINE_MAX): string {
  return cleanLine(x, max).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function link(text: string, href: unknown): string {
  const safe = safeHref(href);
  return safe ? `<a href="${escapeHtml(safe, 2_048)}" rel="noopener noreferrer">${text}</a>` : text;
}

const DATA_IMAGE = /^data:image\/(?:png|jpeg|webp);base64,[A-Za-z0-9+/]+=*$/;

function renderBlock(b: Block, images: Readonly<Record<string, string>>): string {
  switch (b.kind) {
    case 'paragraph': {
      const text = escapeHtml(b.text, PARAGRAPH_MAX);
      return text ? `<p${b.tone ? ` class="${b.tone}"` : ''}>${text}</p>` : '';
    }
    case 'fields':
      return `<dl>${b.rows
        .map(
          (r) =>
            `<dt>${escapeHtml(r.label, 80)}</dt><dd${r.placeholder ? ' class="ph"' : ''}>${link(escapeHtml(r.value) || '–', r.href)}</dd>`,
        )
        .join('')}</dl>`;
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      const items = b.items.map(
        (i) =>
          `<li>${i.at ? `<time>${escapeHtml(i.at, 40)}</time> ` : ''}${link(escapeHtml(i.text) || '–', i.href)}</li>`,
      );
      return `<${tag}>${items.join('')}</${tag}>`;
    }
    case 'table': {
      const cols = b.columns.length || 1;
      const head = `<tr>${b.columns.map((c) => `<th>${escapeHtml(c, CELL_MAX)}</th>`).join('')}</tr>`;
      const rows = b.rows.map(
        (r) =>
          `<tr>${Array.from({ length: cols }, (_, i) => `<td>${escapeHtml(r[i], CELL_MAX) || '–'}</td>`).join('')}</tr>`,
      );
      return `<table>${b.caption ? `<caption>${escapeHtml(b.caption)}</caption>` : ''}<thead>${head}</thead><tbody>${rows.join('')}</tbody></table>${b.note ? `<p class="note">${escapeHtml(b.note)}</p>` : ''}`;
    }
    case 'image': {
      const src = typeof b.file === 'string' && Object.hasOwn(images, b.file) ? images[b.file] : undefined;
      if (typeof src !== 'string' || !DATA_IMAGE.test(src)) return '';
      return `<figure><img src="${src}" alt="${escapeHtml(b.alt, 200)}"><figcaption>${escapeHtml(b.caption)}</figcaption></figure>`;
    }
  }
  return '';
}

/**
 * The summary's one stylesheet, inline so the file stands alone. Exported for the extension's CSP
 * (wxt.config.ts allows exactly this stylesheet by its hash): the print view shows this document
 * in a srcdoc frame, which inherits the extension page's policy as well as obeying its own
 * (https://html.spec.whatwg.org/multipage/browsers.html#policy-containers).
 */
export const COMPLAINT_CSS = `
body{font:11pt/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;max-width:52rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.45rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem;border-bottom:1px solid #bbb}
.sub{color:#444;margin-top:0}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
.ph{color:#8a4b00;font-style:italic}.note{color:#333;border-left:3px solid #999;padding-left:.6rem}
.warning{border-left:3px solid #b00;padding-left:.6rem}li{margin:.15rem 0;overflow-wrap:anywhere}time{font-family:ui-monospace,monospace;font-size:.9em}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.85em}caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #bbb;padding:.2rem .35rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}th{background:#eee}
img{max-width:100%;border:1px solid #bbb}a{color:#0645ad}
@media print{body{margin:0;max-width:none;font-size:10pt}h2{break-after:avoid}tr,li,figure,dl{break-inside:avoid}a{color:inherit}@page{margin:18mm 15mm}}
`.trim();

export interface HtmlOptions {
  /** Attachments to show in place, by file name: base64 data:image URLs (others are ignored). */
  images?: Readonly<Record<string, string>>;
}

/** The complete HTML document. */
export function renderComplaintHtml(c: Complaint, options: HtmlOptions = {}): string {
  const parts: string[] = [];
  const images = options.images && typeof options.images === 'object' ? options.images : {};
  try {
    for (const s of c.sections ?? []) {
      parts.push(
        `<section id="${escapeHtml(s.id, 40)}"><h2>${escapeHtml(s.heading, 200)}</h2>${(s.blocks ?? []).map((b) => renderBlock(b, images)).join('')}</section>`,
      );
    }
  } catch {
    // A malformed model still yields a valid page with what could be rendered.
  }
  const lang = c?.lang === 'en' ? 'en' : 'de';
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(c?.title, 300)}</title>
<style>${COMPLAINT_CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(c?.title, 300)}</h1><p class="sub">${escapeHtml(c?.subtitle, 400)}</p></header>
<main>
${parts.join('\n')}
</main>
</body>
</html>
`;
}
