// Consent-banner detection (lib/page/consent.ts): the snippet allow-list matches the installed
// @duckduckgo/autoconsent, the messages are strict, and observations only ever become more certain.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { decodeRules, evalSnippets, filterCompactRules, type IndexedCMPRuleset } from '@duckduckgo/autoconsent';
import { describe, expect, it } from 'vitest';
import {
  ConsentMessageSchema,
  DETECTION_SNIPPETS,
  NOT_CHECKED,
  type ConsentMessage,
  observeConsent,
} from '@/lib/page/consent';
import { parseContentMessage } from '@/lib/messages';
import * as v from 'valibot';

const pkg = path.resolve(import.meta.dirname, '../../../node_modules/@duckduckgo/autoconsent');
const compact = JSON.parse(readFileSync(path.join(pkg, 'rules/compact-rules.json'), 'utf8')) as IndexedCMPRuleset;

/** Every `eval` step anywhere inside a rule's detection steps (they nest: any, if/then/else …). */
function evalIds(steps: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(steps)) for (const s of steps) evalIds(s, into);
  else if (steps && typeof steps === 'object') {
    for (const [k, val] of Object.entries(steps)) {
      if (k === 'eval' && typeof val === 'string') into.add(val);
      else evalIds(val, into);
    }
  }
  return into;
}

describe('DETECTION_SNIPPETS', () => {
  it('is exactly the set the shipped rules and built-in CMP classes use to detect', () => {
    const used = new Set<string>();
    for (const rule of decodeRules(compact)) {
      evalIds((rule as { detectCmp?: unknown }).detectCmp, used);
      evalIds((rule as { detectPopup?: unknown }).detectPopup, used);
    }
    // The library's own classes (lib/cmps/*.ts): mainWorldEval calls inside detectCmp/detectPopup.
    const cmpDir = path.join(pkg, 'lib/cmps');
    for (const file of readdirSync(cmpDir).filter((f) => f.endsWith('.ts'))) {
      const src = readFileSync(path.join(cmpDir, file), 'utf8');
      for (const m of src.matchAll(/async (?:detectCmp|detectPopup)\(\)[^{]*\{([\s\S]*?)\n {4}\}/g))
        for (const id of (m[1] ?? '').matchAll(/mainWorldEval\('([A-Z0-9_]+)'\)/g)) if (id[1]) used.add(id[1]);
    }
    expect([...DETECTION_SNIPPETS].sort()).toEqual([...used].sort());
    for (const id of DETECTION_SNIPPETS)
      expect(typeof (evalSnippets as Record<string, unknown>)[id], id).toBe('function');
  });

  it('refuses the snippets that act (opt out, opt in, open a dialog)', () => {
    for (const id of [
      'EVAL_DIDOMI_OPT_OUT',
      'EVAL_KLARO_OPEN_POPUP',
      'EVAL_CONSENTMANAGER_NCMP_ACCEPT',
      'EVAL_KLARO_TRY_API_OPT_OUT',
    ])
      expect(DETECTION_SNIPPETS.has(id), id).toBe(false);
  });
});

describe('rules for a page', () => {
  it('keeps the generic rules plus the ones for the URL, far fewer than all', () => {
    const forShop = filterCompactRules(compact, { url: 'https://shop.ampel-test.de/', mainFrame: true });
    expect(forShop.r.length).toBeGreaterThan(50);
    expect(forShop.r.length).toBeLessThan(compact.r.length);
    // No site-specific rule matches this made-up host: exactly the generic ones.
    const [start, end] = (compact as unknown as { index: { genericRuleRange: [number, number] } }).index
      .genericRuleRange;
    expect(forShop.r.length).toBe(end - start);
    expect(decodeRules(forShop).every((r) => !r.runContext?.urlPattern)).toBe(true);
  });
});

describe('consent messages', () => {
  it('accepts the four kinds and drops anything else', () => {
    expect(parseContentMessage({ type: 'consent-init', url: 'https://a.example/' })).not.toBeNull();
    expect(parseContentMessage({ type: 'consent-eval', id: 'abc', snippetId: 'EVAL_COOKIEBOT_1' })).not.toBeNull();
    expect(parseContentMessage({ type: 'consent-found', cmp: 'Onetrust', popup: true })).not.toBeNull();
    expect(parseContentMessage({ type: 'consent-none' })).not.toBeNull();
    // The library's own eval message carries code: ours never does.
    expect(parseContentMessage({ type: 'consent-eval', id: 'abc', snippetId: 'X', code: 'alert(1)' })).toBeNull();
    expect(parseContentMessage({ type: 'consent-found', cmp: 'x'.repeat(201), popup: true })).toBeNull();
    expect(parseContentMessage({ type: 'consent-found', cmp: 'Onetrust', popup: 'yes' })).toBeNull();
    expect(parseContentMessage({ type: 'initResp', rules: {} })).toBeNull();
  });
});

describe('observeConsent', () => {
  const msg = (m: ConsentMessage) => v.parse(ConsentMessageSchema, m);
  it('a banner seen once stays shown, with the time it was first seen', () => {
    let o = observeConsent(NOT_CHECKED, msg({ type: 'consent-found', cmp: 'Onetrust', popup: false }), 1);
    expect(o).toEqual({ status: 'cmp-present', cmp: 'Onetrust', shownAt: null });
    o = observeConsent(o, msg({ type: 'consent-found', cmp: 'Onetrust', popup: true }), 2);
    expect(o).toEqual({ status: 'banner-shown', cmp: 'Onetrust', shownAt: 2 });
    o = observeConsent(o, msg({ type: 'consent-found', cmp: 'Onetrust', popup: true }), 3);
    expect(o.shownAt).toBe(2);
    expect(observeConsent(o, msg({ type: 'consent-found', cmp: 'Onetrust', popup: false }), 4).status).toBe(
      'banner-shown',
    );
    expect(observeConsent(o, msg({ type: 'consent-none' }), 5).status).toBe('banner-shown');
  });
  it('"nothing found" only when nothing was found before', () => {
    expect(observeConsent(NOT_CHECKED, msg({ type: 'consent-none' }), 1)).toEqual({
      status: 'none-found',
      cmp: null,
      shownAt: null,
    });
    const present = observeConsent(NOT_CHECKED, msg({ type: 'consent-found', cmp: 'Cookiebot', popup: false }), 1);
    expect(observeConsent(present, msg({ type: 'consent-none' }), 2)).toBe(present);
  });
  it('"nothing found" is provisional: a banner detected later replaces it', () => {
    const none = observeConsent(NOT_CHECKED, msg({ type: 'consent-none' }), 1);
    expect(observeConsent(none, msg({ type: 'consent-found', cmp: 'Cookiebot', popup: true }), 9)).toEqual({
      status: 'banner-shown',
      cmp: 'Cookiebot',
      shownAt: 9,
    });
  });
});
