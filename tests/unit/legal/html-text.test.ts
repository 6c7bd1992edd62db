import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from '@/lib/legal/html-text';
import { cpuMs } from '../helpers/cpu-time';

describe('htmlToText', () => {
  it('keeps visible text with one line per block and <br>', () => {
    const r = htmlToText(
      '<div><h1>Impressum</h1><p>Jobcenter Musterstadt<br>Musterstraße 12<br/>12345 Musterstadt</p></div><p>E-Mail: <a href="mailto:x@y.de">x@y.de</a></p>',
    );
    expect(r.text).toBe('Impressum\nJobcenter Musterstadt\nMusterstraße 12\n12345 Musterstadt\nE-Mail: x@y.de');
    expect(r.truncated).toBe(false);
  });

  it('drops script, style, noscript, template, svg and head content but reads <title>', () => {
    const html =
      '<html><head><title> Impressum &amp; Kontakt </title><meta name="x"><style>p{}</style><script>document.write("<p>evil</p>")</script></head>' +
      '<body><noscript>Bitte JavaScript aktivieren</noscript><template><p>hidden</p></template><svg><title>Logo</title><text>SVG</text></svg><p>sichtbar</p></body></html>';
    const r = htmlToText(html);
    expect(r.title).toBe('Impressum & Kontakt');
    expect(r.text).toBe('sichtbar');
  });

  it('does not end a <script> at a "</script" inside a string of another tag name', () => {
    expect(htmlToText('<script>var a = "</scripts>"; </script ><p>ok</p>').text).toBe('ok');
  });

  it('decodes named and numeric entities, and entity-encoded markup stays text', () => {
    expect(
      htmlToText(
        '<p>Gesch&auml;ftsf&uuml;hrer &#8211; Stra&#xDF;e &sect; 5 &lt;script&gt;alert(1)&lt;/script&gt; &unknown;</p>',
      ).text,
    ).toBe('Geschäftsführer – Straße § 5 <script>alert(1)</script> &unknown;');
    expect(decodeEntities('&#0;&#xD800;&#x110000;')).toBe('\uFFFD\uFFFD\uFFFD');
  });

  it('collapses whitespace and NBSP, keeps <pre> line breaks, separates table cells', () => {
    expect(
      htmlToText('<p>  a \n\t b&nbsp;&nbsp;c  </p><pre>x\ny</pre><table><tr><td>Tel.</td><td>0221 1</td></tr></table>')
        .text,
    ).toBe('a b c\nx\ny\nTel. 0221 1');
  });

  it('treats a stray "<" as text and ignores comments and doctype', () => {
    expect(htmlToText('<!doctype html><!-- <p>no</p> --><p>1 < 2 and 3 <4</p>').text).toBe('1 < 2 and 3 <4');
  });

  it('quoted ">" inside attributes does not end the tag', () => {
    expect(htmlToText('<a title="a>b" href=\'x>y\'>Link</a>').text).toBe('Link');
  });

  it('never throws and returns empty results for empty or non-string input', () => {
    expect(htmlToText('')).toEqual({ text: '', title: '', truncated: false });
    expect(htmlToText(undefined as unknown as string)).toEqual({ text: '', title: '', truncated: false });
    for (const junk of [
      '<',
      '<<<<',
      '</',
      '<a',
      '<a href="',
      '<!--',
      '<script>',
      '<title>x',
      '&#',
      '&#x;',
      '<svg><svg>',
      '</head></body>',
    ]) {
      expect(() => htmlToText(junk)).not.toThrow();
    }
  });

  it('drops the rest of the page after an unterminated tag, as a browser would', () => {
    expect(htmlToText('<p>vorher</p><a href="x>nachher').text).toBe('vorher');
  });

  it('caps the processed input and reports truncation', () => {
    const r = htmlToText('<p>' + 'a'.repeat(50) + '</p><p>zu spät</p>', { maxInputChars: 40 });
    expect(r.truncated).toBe(true);
    expect(r.text).not.toContain('zu spät');
  });

  it('stays linear on hostile input: 100k nested divs, unclosed tags, a 3 MB page', () => {
    const nested = '<div>'.repeat(100_000) + 'tief' + '</div>'.repeat(100_000);
    expect(cpuMs(() => expect(htmlToText(nested).text).toBe('tief'))).toBeLessThan(1000);

    const unclosed = '<p>x</p>' + '<a title="'.repeat(200_000);
    expect(cpuMs(() => expect(htmlToText(unclosed).text).toBe('x'))).toBeLessThan(1000);

    const page =
      '<html><body>' + '<p class="c">Datenschutz &amp; Impressum <b>fett</b></p>\n'.repeat(60_000) + '</body></html>';
    expect(page.length).toBeGreaterThan(3_000_000);
    let r = htmlToText('');
    expect(cpuMs(() => (r = htmlToText(page)))).toBeLessThan(1500);
    expect(r.truncated).toBe(true);
    expect(r.text.startsWith('Datenschutz & Impressum fett\n')).toBe(true);
  });
});
