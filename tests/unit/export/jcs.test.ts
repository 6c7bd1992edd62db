// Our RFC 8785 (JCS) serialisation (lib/export/jcs.ts) against an independent implementation,
// the `canonicalize` package, and the evidence bundle's report hash against it.
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEvidenceBundle } from '@/lib/export/bundle';
import { canonicalJson } from '@/lib/export/jcs';
import { sha256Hex } from '@/lib/history/sha256';
import { jobcenterInput } from '../helpers/jobcenter-case';

describe('canonicalJson is RFC 8785', () => {
  it('matches canonicalize for any JSON value (well-formed strings, finite numbers)', () => {
    const json = fc.jsonValue({ maxDepth: 4, noUnicodeString: false });
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 200 },
    );
  });

  it('orders keys by UTF-16 code units and writes numbers in their shortest form (RFC 8785 § 3.2.3, appendix B)', () => {
    const value = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalJson(value)).toBe(canonicalize(value));
    // The sort order of RFC 8785 § 3.2.3's example (JSON.parse would put "1" first again).
    expect(canonicalJson(value)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    // biome-ignore lint/correctness/noPrecisionLoss: RFC 8785's own example, Appendix B: the literal is meant to round.
    const numbers = [333333333.33333329, 1e30, 4.5, 0.002, 1e-27, -0, 9007199254740991];
    expect(canonicalJson(numbers)).toBe('[333333333.3333333,1e+30,4.5,0.002,1e-27,0,9007199254740991]');
  });

  it('does what JSON.stringify does with undefined and toJSON, and never throws where JCS has no answer', () => {
    const withDate = { b: undefined, a: new Date(0), c: [undefined, () => 1] };
    expect(canonicalJson(withDate)).toBe(canonicalize(withDate));
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(canonicalJson(cyclic)).toBe('{"a":1,"self":null}');
    expect(canonicalJson([Number.NaN, Number.POSITIVE_INFINITY])).toBe('[null,null]');
  });

  it("the bundle's reportsSha256 is the SHA-256 of canonicalize(reports), as the bundle says", async () => {
    const bundle = await buildEvidenceBundle(jobcenterInput('de'));
    expect(bundle.canonicalization).toBe('RFC 8785 (JCS)');
    const parsed = JSON.parse(JSON.stringify(bundle, null, 2)) as typeof bundle;
    expect(bundle.reportsSha256).toBe(await sha256Hex(canonicalize(parsed.reports)!));
  });
});
