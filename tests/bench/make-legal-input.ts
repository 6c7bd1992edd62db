/**
 * Writes the pinned bench inputs of the page-check analysers: tests/bench/legal-privacy-200k.html and
 * tests/bench/legal-imprint-200k.html, 200 000 characters of HTML each, made of the tuning-split
 * documents of tests/fixtures/legal-corpus (real published texts; sources and reuse basis in each
 * document's .json there), in id order, repeated until the size is reached. Run once:
 *
 *   npx tsx tests/bench/make-legal-input.ts
 *
 * The files are committed and never regenerated when the corpus changes, so timings stay comparable
 * across commits (`npm run bench`, tests/bench/analysers-bench.ts).
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const CORPUS = path.resolve(import.meta.dirname, '../fixtures/legal-corpus');
const BYTES = 200_000;
const test = new Set((JSON.parse(readFileSync(path.join(CORPUS, 'split.json'), 'utf8')) as { test: string[] }).test);

for (const kind of ['privacy', 'imprint'] as const) {
  const ids = readdirSync(path.join(CORPUS, kind))
    .filter((f) => f.endsWith('.html'))
    .map((f) => f.slice(0, -'.html'.length))
    .filter((id) => !test.has(id))
    .sort();
  const parts = ids.map(
    (id) => `<section id="${id}">\n${readFileSync(path.join(CORPUS, kind, `${id}.html`), 'utf8')}\n</section>\n`,
  );
  let html = '<!doctype html><html><body><main>\n';
  for (let i = 0; html.length < BYTES; i++) html += parts[i % parts.length];
  // Cut at a tag boundary so the file stays well-formed enough for htmlToText, then close.
  const cut = html.lastIndexOf('<', BYTES - 40);
  writeFileSync(
    path.join(import.meta.dirname, `legal-${kind}-200k.html`),
    `${html.slice(0, cut)}</main></body></html>\n`,
  );
}
