/**
 * Golden evidence: for twelve documents of the legal corpus's tuning split (never the test split),
 * the evidence each analyser quotes per element is pinned in tests/golden/legal-evidence.json,
 * reviewed by hand when it was written. Beyond equality, every quote must be content
 * (docs/legal-labels.md G2): each part of it is found in the document's visible text, and not only
 * inside its headings; and an element is quoted exactly when the first labeller marked it present.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseText } from '@/lib/legal/patterns';
import { htmlToText } from '@/lib/legal/html-text';
import {
  bodyWithoutHeadings,
  headingEvidence,
  headingsOf,
  loadLegalCorpus,
  predict,
} from '../../../scripts/eval-legal';

const GOLDEN = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../../golden/legal-evidence.json'), 'utf8'),
) as Record<string, Record<string, string | null>>;
const docs = loadLegalCorpus().filter((d) => d.id in GOLDEN);

/** The parts of a quote (split at "…" and " […] "), as a reader would search them with find. */
const partsOf = (evidence: string) =>
  evidence
    .split(/…|\[…\]/)
    .map((p) => p.trim())
    .filter((p) => /[\p{L}\p{N}]/u.test(p));

describe('golden evidence on twelve tuning-split documents', () => {
  it('covers a dozen documents of both kinds, all from the tuning split', () => {
    expect(docs).toHaveLength(12);
    expect(new Set(docs.map((d) => d.kind))).toEqual(new Set(['privacy', 'imprint']));
    for (const d of docs) expect(d.split, d.id).toBe('tuning');
  });

  for (const d of docs) {
    it(`${d.id}: the pinned quotes, each one content of the document`, () => {
      const got = predict(d);
      const text = normaliseText(htmlToText(d.html).text).replace(/\s+/g, ' ');
      const body = bodyWithoutHeadings(d.html);
      const headings = headingsOf(d.html);
      for (const [element, pinned] of Object.entries(GOLDEN[d.id]!)) {
        expect(got[element]?.found ? got[element]!.evidence : null, `${d.id} · ${element}`).toBe(pinned);
        expect(pinned !== null, `${d.id} · ${element}: quoted exactly when labelled present`).toBe(
          d.labels[element]!.present,
        );
        if (pinned === null) continue;
        for (const part of partsOf(pinned))
          expect(text, `${d.id} · ${element}: "${part}" is in the text`).toContain(part);
        // Outdated references count in headings too (docs/legal-labels.md § 2 outdated-refs).
        if (element !== 'outdated-refs')
          expect(headingEvidence(pinned, body, headings), `${d.id} · ${element}: not a heading only`).toBe(false);
      }
    });
  }
});
