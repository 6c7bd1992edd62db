/** Scoring of the recognition evaluation (scripts/eval-recognition.ts): pure parts only. */
import { describe, expect, it } from 'vitest';
import {
  type RecognitionCase,
  type RecognitionOutcome,
  chooseTestSplit,
  scoreRecognition,
} from '../../../scripts/eval-recognition';

const profile = (
  id: string,
  platform: string,
  authority: boolean,
  verdict: RecognitionCase['expect']['verdict'],
  compliant = false,
): RecognitionCase => ({
  id,
  url: `https://example.test/${id}`,
  kind: 'profile',
  expect: { pageKind: 'social-profile', platform, authority, verdict, compliant },
  why: '',
});
const outcome = (id: string, o: Partial<RecognitionOutcome>): RecognitionOutcome => ({
  id,
  error: null,
  pageKind: 'social-profile',
  platform: null,
  authority: false,
  verdict: 'grey',
  ownChannels: null,
  topFindings: [],
  ...o,
});

describe('scoreRecognition', () => {
  it('counts each dimension, names every miss and every false red', () => {
    const cases = [profile('a', 'tiktok', true, 'red'), profile('b', 'mastodon', false, 'green', true)];
    const outcomes = new Map([
      ['a', outcome('a', { platform: 'tiktok', authority: false, verdict: 'yellow' })],
      ['b', outcome('b', { pageKind: 'website', platform: null, verdict: 'red' })],
    ]);
    const f = scoreRecognition(cases, outcomes, 'tuning');
    expect(f.accuracy.pageKind).toEqual({ correct: 1, judged: 2 });
    expect(f.accuracy.platform).toEqual({ correct: 1, judged: 2 });
    expect(f.accuracy.authority).toEqual({ correct: 1, judged: 2 });
    expect(f.accuracy.verdict).toEqual({ correct: 0, judged: 2 });
    expect(f.accuracy.ownChannels.judged).toBe(0);
    expect(f.falseReds).toEqual(['b']);
    expect(f.misses).toContainEqual({ id: 'b', dimension: 'platform', expected: 'mastodon', got: 'none' });
    expect(f.misses).toContainEqual({ id: 'a', dimension: 'authority', expected: 'true', got: 'false' });
  });

  it('judges own channels on websites as a set of id and whether the notice names them', () => {
    const site: RecognitionCase = {
      id: 'w',
      url: 'https://www.kreis.test/',
      kind: 'website',
      expect: {
        pageKind: 'website',
        platform: null,
        authority: true,
        verdict: 'red',
        compliant: false,
        ownChannels: [
          { id: 'instagram', url: 'https://www.instagram.com/kreis/', namedInNotice: false },
          { id: 'youtube', url: 'https://www.youtube.com/@kreis', namedInNotice: true },
        ],
      },
      why: '',
    };
    const right = outcome('w', {
      pageKind: 'website',
      authority: true,
      verdict: 'red',
      ownChannels: ['youtube:named', 'instagram:not-named'].sort(),
    });
    expect(scoreRecognition([site], new Map([['w', right]]), 'test').accuracy.ownChannels).toEqual({
      correct: 1,
      judged: 1,
    });
    const missing = outcome('w', { pageKind: 'website', authority: true, verdict: 'red', ownChannels: null });
    expect(scoreRecognition([site], new Map([['w', missing]]), 'test').misses).toEqual([
      { id: 'w', dimension: 'ownChannels', expected: 'instagram:not-named youtube:named', got: '(not reported)' },
    ]);
  });

  it('counts a failed audit as wrong, never as right', () => {
    const f = scoreRecognition(
      [profile('x', 'x', true, 'red')],
      new Map([['x', outcome('x', { error: 'timeout', pageKind: null, verdict: null, authority: null })]]),
      'test',
    );
    expect(f.failedAudits).toEqual(['x']);
    expect(f.accuracy.verdict.correct).toBe(0);
  });
});

describe('chooseTestSplit', () => {
  const cases = ['instagram', 'tiktok', 'x', 'mastodon'].flatMap((p) =>
    [1, 2, 3, 4].map((i) => profile(`${p}-${i}`, p, i % 2 === 0, 'red')),
  );
  it('takes about 30 % and leaves every platform cases on both sides, reproducibly from the seed', () => {
    const a = chooseTestSplit(cases, '1a2b3c4d');
    expect(a).toEqual(chooseTestSplit(cases, '1a2b3c4d'));
    expect(a.length).toBeGreaterThanOrEqual(4);
    expect(a.length).toBeLessThanOrEqual(6);
    for (const p of ['instagram', 'tiktok', 'x', 'mastodon']) {
      const inTest = a.filter((id) => id.startsWith(`${p}-`)).length;
      expect(inTest).toBeLessThan(4);
    }
    expect(chooseTestSplit(cases, 'ffffffff')).not.toEqual(a);
  });
});
