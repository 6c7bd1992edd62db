/**
 * HTML → visible text without a DOM (the MV3 background is a service worker: no DOMParser).
 *
 * Approximates innerText as rules.json `normalisation.text_extraction` asks: visible text only,
 * line breaks between block elements and at <br>, entities decoded, runs of spaces collapsed.
 * Not a full HTML5 parser: it is a single left-to-right scan with indexOf/sticky regexes, so it
 * runs in linear time on any input (unclosed tags, 100 000 nested divs, multi-megabyte pages)
 * and never throws.
 */

export interface HtmlToTextOptions {
  /** Characters of HTML processed; the rest is dropped and `truncated` is set. Default 2 000 000. */
  maxInputChars?: number;
}

export interface HtmlText {
  /** Visible text, one block per line, no empty lines at the ends. */
  text: string;
  /** Content of the first <title> outside <svg>, whitespace-collapsed ('' if none). */
  title: string;
  /** True when the input was longer than maxInputChars (or a tag was left unterminated at the cut). */
  truncated: boolean;
}

export const DEFAULT_MAX_HTML_CHARS = 2_000_000;

/** Elements whose content is never rendered as text (raw-text elements: skipped up to their end tag). */
const RAW_TEXT_SKIP = new Set(['script', 'style', 'noscript', 'textarea', 'xmp', 'iframe', 'noembed', 'noframes']);
/** Elements whose whole subtree is invisible or not page text. */
const SUBTREE_SKIP = new Set(['svg', 'math', 'template', 'object', 'select', 'datalist']);
/** Elements that may appear inside <head>; any other start tag implicitly ends the head (HTML §13.2.6.4.4). */
const HEAD_CONTENT = new Set(['title', 'meta', 'link', 'base', 'style', 'script', 'noscript', 'template']);
/** Elements rendered as blocks (a line break before and after) — HTML §15.3 default display: block etc. */
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'dir',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'html',
  'legend',
  'li',
  'listing',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'plaintext',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'tfoot',
  'thead',
  'tr',
  'ul',
  'option',
  'optgroup',
  'br',
]);
/** Table cells: separated by a space (innerText uses a tab; a space reads the same in snippets). */
const CELL = new Set(['td', 'th']);

// Common named entities (HTML Living Standard §13.5). Covers German, French, Spanish, Italian,
// Dutch, Polish, Czech, Nordic letters plus typography; unknown names stay as written.
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00A0',
  shy: '\u00AD',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  zwnj: '\u200C',
  zwj: '\u200D',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  laquo: '«',
  raquo: '»',
  lsaquo: '‹',
  rsaquo: '›',
  bdquo: '„',
  sbquo: '‚',
  ldquo: '“',
  rdquo: '”',
  lsquo: '‘',
  rsquo: '’',
  middot: '·',
  bull: '•',
  sect: '§',
  para: '¶',
  deg: '°',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  times: '×',
  divide: '÷',
  minus: '−',
  plusmn: '±',
  frac12: '½',
  frac14: '¼',
  frac34: '¾',
  sup2: '²',
  sup3: '³',
  micro: 'µ',
  ordf: 'ª',
  ordm: 'º',
  iexcl: '¡',
  iquest: '¿',
  dagger: '†',
  Dagger: '‡',
  permil: '‰',
  prime: '′',
  larr: '←',
  rarr: '→',
  uarr: '↑',
  darr: '↓',
  harr: '↔',
  check: '✓',
  commat: '@',
  period: '.',
  colon: ':',
  lpar: '(',
  rpar: ')',
  sol: '/',
  num: '#',
  excl: '!',
  quest: '?',
  comma: ',',
  semi: ';',
  equals: '=',
  lowbar: '_',
  hyphen: '‐',
  dash: '‐',
  NewLine: '\n',
  Tab: '\t',
  auml: 'ä',
  ouml: 'ö',
  uuml: 'ü',
  Auml: 'Ä',
  Ouml: 'Ö',
  Uuml: 'Ü',
  szlig: 'ß',
  euml: 'ë',
  iuml: 'ï',
  Euml: 'Ë',
  Iuml: 'Ï',
  yuml: 'ÿ',
  aacute: 'á',
  eacute: 'é',
  iacute: 'í',
  oacute: 'ó',
  uacute: 'ú',
  yacute: 'ý',
  Aacute: 'Á',
  Eacute: 'É',
  Iacute: 'Í',
  Oacute: 'Ó',
  Uacute: 'Ú',
  Yacute: 'Ý',
  agrave: 'à',
  egrave: 'è',
  igrave: 'ì',
  ograve: 'ò',
  ugrave: 'ù',
  Agrave: 'À',
  Egrave: 'È',
  Igrave: 'Ì',
  Ograve: 'Ò',
  Ugrave: 'Ù',
  acirc: 'â',
  ecirc: 'ê',
  icirc: 'î',
  ocirc: 'ô',
  ucirc: 'û',
  Acirc: 'Â',
  Ecirc: 'Ê',
  Icirc: 'Î',
  Ocirc: 'Ô',
  Ucirc: 'Û',
  atilde: 'ã',
  otilde: 'õ',
  ntilde: 'ñ',
  Atilde: 'Ã',
  Otilde: 'Õ',
  Ntilde: 'Ñ',
  ccedil: 'ç',
  Ccedil: 'Ç',
  aring: 'å',
  Aring: 'Å',
  aelig: 'æ',
  AElig: 'Æ',
  oslash: 'ø',
  Oslash: 'Ø',
  oelig: 'œ',
  OElig: 'Œ',
  scaron: 'š',
  Scaron: 'Š',
  zcaron: 'ž',
  Zcaron: 'Ž',
  ccaron: 'č',
  Ccaron: 'Č',
  rcaron: 'ř',
  Rcaron: 'Ř',
  ecaron: 'ě',
  Ecaron: 'Ě',
  uring: 'ů',
  Uring: 'Ů',
  dcaron: 'ď',
  tcaron: 'ť',
  ncaron: 'ň',
  aogon: 'ą',
  eogon: 'ę',
  Aogon: 'Ą',
  Eogon: 'Ę',
  cacute: 'ć',
  Cacute: 'Ć',
  nacute: 'ń',
  Nacute: 'Ń',
  sacute: 'ś',
  Sacute: 'Ś',
  zacute: 'ź',
  Zacute: 'Ź',
  zdot: 'ż',
  Zdot: 'Ż',
  lstrok: 'ł',
  Lstrok: 'Ł',
  eth: 'ð',
  thorn: 'þ',
};

const ENTITY = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}));/g;

function fromCodePoint(cp: number): string {
  // HTML §13.2.5.80: 0, surrogates and values beyond U+10FFFF become U+FFFD.
  if (!Number.isFinite(cp) || cp <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\uFFFD';
  return String.fromCodePoint(cp);
}

/** Decodes named (common set) and numeric character references. Unknown names are left as written. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (dec !== undefined) return fromCodePoint(Number.parseInt(dec, 10));
    if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16));
    return (name !== undefined && Object.hasOwn(NAMED, name) ? NAMED[name] : undefined) ?? whole;
  });
}

/** Tag name at `pos` (just after '<' or '</'): ASCII letters, digits, '-', ':'; lower-cased. */
const TAG_NAME = /[A-Za-z][A-Za-z0-9:-]*/y;

/**
 * Index just past the '>' that closes the tag starting at `from`, honouring quoted attribute
 * values ("a>b" does not end the tag), or -1 if the tag never ends.
 */
function tagEnd(html: string, from: number): number {
  let quote = '';
  for (let i = from; i < html.length; i++) {
    const c = html.charCodeAt(i);
    if (quote) {
      if (c === quote.charCodeAt(0)) quote = '';
    } else if (c === 62 /* > */) {
      return i + 1;
    } else if (c === 34 /* " */ || c === 39 /* ' */) {
      // A quote only opens a value right after '=' (possibly with spaces); elsewhere it is junk.
      let j = i - 1;
      while (j >= from && (html.charCodeAt(j) === 32 || html.charCodeAt(j) === 9 || html.charCodeAt(j) === 10)) j--;
      if (j >= from && html.charCodeAt(j) === 61 /* = */) quote = html[i] ?? '';
    }
  }
  return -1;
}

/** Cache of case-insensitive "</name" finders for raw-text elements. */
const closerCache = new Map<string, RegExp>();
function closer(name: string): RegExp {
  let re = closerCache.get(name);
  if (!re) {
    re = new RegExp(`</${name}(?=[\\s/>])`, 'gi');
    closerCache.set(name, re);
  }
  return re;
}

/** The href attribute of a start tag's attribute text. */
const HREF = /\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;

/** Collapses HTML whitespace in a text run (outside <pre>) to single spaces. */
const HTML_SPACE = /[ \t\n\r\f\u00A0]+/g;

export function htmlToText(html: string, opts: HtmlToTextOptions = {}): HtmlText {
  if (typeof html !== 'string' || html.length === 0) return { text: '', title: '', truncated: false };
  const max = Math.max(0, Math.floor(opts.maxInputChars ?? DEFAULT_MAX_HTML_CHARS));
  let truncated = html.length > max;
  const src = truncated ? html.slice(0, max) : html;

  const out: string[] = [];
  /** Open <a href="mailto:…|tel:…"> links: the target and where their text starts in `out`. */
  const links: { target: string; from: number }[] = [];
  let title = '';
  let titleSeen = false;
  let inHead = false;
  let skipDepth = 0; // depth inside svg/template/… subtrees (text dropped)
  let skipName = '';
  let preDepth = 0;

  const emitText = (raw: string): void => {
    if (skipDepth > 0 || raw.length === 0) return;
    // Non-space text in <head> ends the head in the HTML parser ("in head" insertion mode).
    if (inHead) {
      if (!/[^ \t\n\r\f]/.test(raw)) return;
      inHead = false;
    }
    const decoded = decodeEntities(raw);
    out.push(preDepth > 0 ? decoded.replace(/\r\n?/g, '\n') : decoded.replace(HTML_SPACE, ' '));
  };

  let i = 0;
  const n = src.length;
  while (i < n) {
    const lt = src.indexOf('<', i);
    if (lt < 0) {
      emitText(src.slice(i));
      break;
    }
    if (lt > i) emitText(src.slice(i, lt));
    const next = src.charCodeAt(lt + 1);

    // Comments, doctype, processing instructions, CDATA.
    if (next === 33 /* ! */ || next === 63 /* ? */) {
      if (src.startsWith('<!--', lt)) {
        const end = src.indexOf('-->', lt + 4);
        i = end < 0 ? n : end + 3;
      } else {
        const end = src.indexOf('>', lt + 2);
        i = end < 0 ? n : end + 1;
      }
      continue;
    }

    const closing = next === 47; /* / */
    TAG_NAME.lastIndex = lt + (closing ? 2 : 1);
    const nameMatch = TAG_NAME.exec(src);
    if (!nameMatch) {
      // "<" not starting a tag ("a < b", "</ >") is text, as in HTML's tokenizer.
      emitText('<');
      i = lt + 1;
      continue;
    }
    const name = nameMatch[0].toLowerCase();
    const end = tagEnd(src, TAG_NAME.lastIndex);
    if (end < 0) {
      // Unterminated tag: the browser would swallow the rest into the tag, so do we.
      truncated = truncated || src.length < html.length;
      break;
    }
    i = end;
    const selfClosing = src.charCodeAt(end - 2) === 47; /* "/>" */

    if (closing) {
      if (skipDepth > 0) {
        if (name === skipName) skipDepth--;
        continue;
      }
      if (name === 'a' && links.length) {
        // A mailto:/tel: link whose text does not show the address ("E-Mail schreiben"): the
        // target is part of what the page tells the reader (docs/legal-labels.md G11), so it is
        // kept after the link text, as written in the href.
        const link = links.pop()!;
        const tel = /^tel:/i.test(link.target);
        // Phone numbers compare by their digits ("09181 - 472 0" shows tel:091814720).
        const canon = (x: string) =>
          tel ? x.replace(/\D/g, '').replace(/^49/, '0').replace(/^00?/, '') : x.replace(/\s+/g, '').toLowerCase();
        const shown = canon(out.slice(link.from).join(''));
        const value = canon(link.target.replace(/^(?:mailto|tel):/i, '').split('?')[0]!);
        if (value && !shown.includes(value)) out.push(` ${link.target} `);
        continue;
      }
      if (name === 'head') inHead = false;
      else if (name === 'pre' || name === 'listing') preDepth = Math.max(0, preDepth - 1);
      if (BLOCK.has(name)) out.push('\n');
      else if (CELL.has(name)) out.push(' ');
      continue;
    }

    if (skipDepth > 0) {
      if (name === skipName && !selfClosing) skipDepth++;
      continue;
    }

    if (name === 'title' || RAW_TEXT_SKIP.has(name)) {
      // Raw text / RCDATA: content runs to the matching end tag; markup inside is not markup.
      const finder = closer(name);
      finder.lastIndex = end;
      const close = finder.exec(src);
      const contentEnd = close ? close.index : n;
      if (name === 'title' && !titleSeen) {
        titleSeen = true;
        title = decodeEntities(src.slice(end, contentEnd)).replace(HTML_SPACE, ' ').trim();
      }
      if (!close) break;
      const after = tagEnd(src, close.index + 2 + name.length);
      i = after < 0 ? n : after;
      continue;
    }

    if (inHead && !HEAD_CONTENT.has(name)) inHead = false;
    if (name === 'head' && !selfClosing) {
      inHead = true;
      continue;
    }
    if (SUBTREE_SKIP.has(name)) {
      if (!selfClosing) {
        skipDepth = 1;
        skipName = name;
      }
      continue;
    }
    if (name === 'a' && !selfClosing && links.length < 50) {
      HREF.lastIndex = 0;
      const href = HREF.exec(src.slice(TAG_NAME.lastIndex, end));
      const target = decodeEntities(href?.[1] ?? href?.[2] ?? href?.[3] ?? '').trim();
      if (/^(?:mailto|tel):\S/i.test(target) && target.length <= 200)
        links.push({ target: target.replace(/\s+/g, ''), from: out.length });
    }
    if (name === 'pre' || name === 'listing') preDepth++;
    if (BLOCK.has(name)) out.push('\n');
    else if (CELL.has(name)) out.push(' ');
  }

  return { text: tidy(out.join('')), title, truncated };
}

/** Collapses spaces, trims lines and drops empty lines (innerText shows no blank block lines). */
function tidy(s: string): string {
  return s
    .replace(/[\u00A0\t\f\r ]+/g, ' ')
    .replace(/ ?\n[\n ]*/g, '\n')
    .replace(/^[\n ]+|[\n ]+$/g, '');
}
