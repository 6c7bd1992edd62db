/**
 * `--consent reject|accept` of the audit CLI (docs/audit.md): answers the audited page's consent
 * banner with @duckduckgo/autoconsent's own rule for it, then measures what follows — the rest of
 * the page after the click, and a reload — through the extension's own reports.
 *
 * The library's Playwright bundle (dist/autoconsent.playwright.js of the installed package) is
 * injected into every frame of the page and talks to this process through the
 * `autoconsentSendMessage` binding, as in the package's own runner (playwright/runner.ts). This
 * only ever runs here, in the CLI's fresh temporary profile; the extension build has no opt-out
 * path (tests/unit/page/consent-detection-only.test.ts). Pure parts: lib/cli/consent-answer.ts
 * (protocol, outcome) and lib/verdict/consent-decision.ts (the combined report).
 *
 * Caveat: the page's own scripts share the main world with the library and can see and call the
 * binding; what they could fake (a result) is checked against the clicks actually dispatched and
 * the extension's observations, which the page cannot reach.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Frame, Page } from '@playwright/test';
import { type IndexedCMPRuleset, type RuleBundle, evalSnippets, filterCompactRules } from '@duckduckgo/autoconsent';
import {
  type AnswerTrace,
  CONSENT_TIMING,
  answerOutcome,
  answeringConfig,
  cosmeticRuleNames,
  parsePageMessage,
  type PageMessage,
} from '../lib/cli/consent-answer';
import {
  type ConsentAnswer,
  type ConsentMeasurement,
  type ConsentMode,
  combineConsentAudit,
  needsOptInProbe,
  snapshotOf,
} from '../lib/verdict/consent-decision';
import type { BackgroundResponse } from '../lib/messages';
import type { Report } from '../lib/verdict/report';

// ---------------------------------------------------------------------------------------------
// The installed package: its bundle, rules and version (read once)

interface Autoconsent {
  bundle: string;
  compact: IndexedCMPRuleset;
  full: RuleBundle['autoconsent'];
  cosmetic: Set<string>;
  library: string;
}
let loaded: Autoconsent | null = null;

function autoconsent(): Autoconsent {
  if (loaded) return loaded;
  // The package's main entry is dist/autoconsent.cjs.js: its folder's parent is the package.
  const dir = path.resolve(path.dirname(createRequire(import.meta.url).resolve('@duckduckgo/autoconsent')), '..');
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
  const full = (JSON.parse(read('rules/rules.json')) as RuleBundle).autoconsent;
  loaded = {
    bundle: read('dist/autoconsent.playwright.js'),
    compact: JSON.parse(read('rules/compact-rules.json')) as IndexedCMPRuleset,
    full,
    cosmetic: cosmeticRuleNames(full as { name: string; cosmetic?: boolean }[]),
    library: `@duckduckgo/autoconsent ${(JSON.parse(read('package.json')) as { version: string }).version}`,
  };
  return loaded;
}

/**
 * Records, in each frame's main world, when click events that no person made (`isTrusted` false:
 * the library's `element.click()`) reach the window; clicks inside shadow roots arrive retargeted
 * (click events are composed). Runs before the library in every frame.
 */
const CLICK_RECORDER = `(() => {
  if (window.__dsaConsentClicks) return;
  const at = [];
  Object.defineProperty(window, '__dsaConsentClicks', { value: at });
  window.addEventListener('click', (e) => { if (!e.isTrusted) at.push(Date.now()); }, true);
})()`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitUntil(done: () => boolean, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() >= until) return false;
    await sleep(everyMs);
  }
  return true;
}

type Received = { at: number; frame: Frame; message: PageMessage };

/** Sends a message to the library in a frame (its `autoconsentReceiveMessage`); a detached frame is ignored. */
function tell(frame: Frame, message: unknown): Promise<void> {
  return frame
    .evaluate(
      (m) =>
        (
          window as unknown as { autoconsentReceiveMessage?: (x: unknown) => Promise<void> }
        ).autoconsentReceiveMessage?.(m),
      message,
    )
    .catch(() => undefined);
}

/**
 * Answers the banner of a loaded page: starts the library in every frame, waits for a banner one
 * of its rules recognises, sends "reject all" (`optOut`) or opt-in, and waits for the result.
 */
export async function answerBanner(page: Page, mode: ConsentMode, bannerMs: number): Promise<ConsentAnswer> {
  const ac = autoconsent();
  const trace: AnswerTrace = {
    mode,
    library: ac.library,
    popup: null,
    cosmetic: false,
    answeredAt: null,
    result: null,
    done: null,
    clickTimes: [],
  };
  const session = { received: [] as Received[] };
  const lifecycle = new Map<Frame, string>();
  try {
    await page.exposeBinding('autoconsentSendMessage', async ({ frame }: { frame: Frame }, raw: unknown) => {
      const message = parsePageMessage(raw);
      if (!message) return;
      session.received.push({ at: Date.now(), frame, message });
      if (message.type === 'report') lifecycle.set(frame, message.lifecycle);
      if (message.type === 'init') {
        const url = frame.url();
        const rules: RuleBundle =
          // Compact rules omit the opt-in steps (the package's runner uses the full ones for opt-in).
          mode === 'accept'
            ? { autoconsent: ac.full }
            : {
                autoconsent: [],
                compact: filterCompactRules(ac.compact, { url, mainFrame: frame === page.mainFrame() }),
              };
        await tell(frame, { type: 'initResp', config: answeringConfig(), rules });
      } else if (message.type === 'eval') {
        // isMainWorld runs the checks inline; should the library still ask, run only its own snippet by id.
        const snippet = (evalSnippets as Record<string, (() => unknown) | undefined>)[message.snippetId];
        const result = snippet
          ? await frame
              .evaluate(snippet)
              .then(Boolean)
              .catch(() => false)
          : false;
        await tell(frame, { type: 'evalResp', id: message.id, result });
      }
    });
  } catch {
    trace.pageFailed = true;
    return answerOutcome(trace);
  }

  const inject = async (frame: Frame) => {
    await frame.evaluate(CLICK_RECORDER).catch(() => undefined);
    await frame.evaluate(ac.bundle).catch(() => undefined);
  };
  const onNavigated = (frame: Frame) => void inject(frame);
  page.on('framenavigated', onNavigated);
  try {
    await Promise.all(page.frames().map(inject));
    const first = (type: PageMessage['type'], after = 0) =>
      session.received.find((r) => r.message.type === type && r.at >= after);
    const allNothing = () => lifecycle.size > 0 && [...lifecycle.values()].every((l) => l === 'nothingDetected');
    await waitUntil(() => Boolean(first('popupFound')) || allNothing(), bannerMs);
    const popup = first('popupFound');
    if (popup?.message.type !== 'popupFound') {
      trace.popup = null;
      return answerOutcome(trace);
    }
    trace.popup = popup.message.cmp;
    trace.cosmetic = ac.cosmetic.has(popup.message.cmp);
    if (trace.cosmetic) return answerOutcome(trace);

    trace.answeredAt = Date.now();
    // Not awaited: the library answers in its own time and reports the result as a message.
    void tell(popup.frame, { type: mode === 'reject' ? 'optOut' : 'optIn' });
    const resultType = mode === 'reject' ? 'optOutResult' : 'optInResult';
    const from = popup.frame;
    const resultOf = () =>
      session.received.find((r) => r.frame === from && r.message.type === resultType && r.at >= trace.answeredAt!);
    await waitUntil(() => Boolean(resultOf()), CONSENT_TIMING.answerMs);
    const result = resultOf();
    if (result && (result.message.type === 'optOutResult' || result.message.type === 'optInResult')) {
      trace.result = { ok: result.message.result, at: result.at };
      await waitUntil(
        () => Boolean(first('autoconsentDone', trace.answeredAt!)),
        result.message.result ? CONSENT_TIMING.doneMs : 0,
      );
      const done = first('autoconsentDone', trace.answeredAt);
      if (done?.message.type === 'autoconsentDone') trace.done = { isCosmetic: done.message.isCosmetic };
    }
    const times = await Promise.all(
      page
        .frames()
        .map((f) =>
          f
            .evaluate(() => ((window as unknown as { __dsaConsentClicks?: number[] }).__dsaConsentClicks ?? []).slice())
            .catch(() => [] as number[]),
        ),
    );
    trace.clickTimes = times.flat().filter((t) => typeof t === 'number' && Number.isFinite(t));
    return answerOutcome(trace);
  } catch {
    trace.pageFailed = true;
    return answerOutcome(trace);
  } finally {
    page.off('framenavigated', onNavigated);
  }
}

// ---------------------------------------------------------------------------------------------
// The measurement around the answer

export interface ConsentRun {
  page: Page;
  mode: ConsentMode;
  /** The background's answer for the page's tab (`get-visit`), null when it gave none. */
  ask: () => Promise<BackgroundResponse | null>;
  /** Asks until the reload's report is settled (checks done) and belongs to a visit started at or after `since`. */
  askReload: (since: number) => Promise<BackgroundResponse | null>;
  waitMs: number;
  navTimeoutMs: number;
  /** The extension found no consent platform on the first load: look for a banner a shorter time. */
  noneFound: boolean;
}

const snapshot = (r: BackgroundResponse | null) =>
  r && r.type === 'visit' && r.report ? snapshotOf(r.report, r.visit) : null;

/**
 * Answers the banner, then measures what follows: the same page for `waitMs` after the decision,
 * then a reload, `waitMs` after its load, until its report is settled.
 */
export async function measureConsent(run: ConsentRun): Promise<ConsentMeasurement> {
  const answer = await answerBanner(
    run.page,
    run.mode,
    run.noneFound ? CONSENT_TIMING.bannerMsWhenNoneFound : CONSENT_TIMING.bannerMs,
  );
  const none: ConsentMeasurement = {
    answer,
    atDecision: null,
    beforeReload: null,
    reload: null,
    reloadedAt: null,
    until: null,
  };
  if (answer.decision === null) return none;
  const atDecision = snapshot(await run.ask());
  await run.page.waitForTimeout(run.waitMs);
  const beforeReload = snapshot(await run.ask());
  const reloadedAt = Date.now();
  let reload: ConsentMeasurement['reload'] = null;
  try {
    await run.page.reload({ waitUntil: 'load', timeout: run.navTimeoutMs });
    await run.page.waitForTimeout(run.waitMs);
    reload = snapshot(await run.askReload(reloadedAt));
  } catch {
    // The reload failed: what followed on the same page still stands.
  }
  return { answer, atDecision, beforeReload, reload, reloadedAt: reload ? reloadedAt : null, until: Date.now() };
}

/**
 * The opt-in in its own fresh profile (a new browser context: no cookies, storage or cache), only
 * to count its clicks for reject-not-on-first-layer. The extension is not needed for that.
 */
export async function probeOptIn(
  url: string,
  launch: { executablePath: string; args: string[] },
  timing: { waitMs: number; navTimeoutMs: number },
): Promise<NonNullable<ConsentAnswer['optInProbe']>> {
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({ executablePath: launch.executablePath, headless: true, args: launch.args });
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(url, { waitUntil: 'load', timeout: timing.navTimeoutMs });
    await page.waitForTimeout(timing.waitMs);
    const a = await answerBanner(page, 'accept', CONSENT_TIMING.bannerMs);
    return { clicks: a.clicks, rule: a.rule, reason: a.reason };
  } catch {
    return { clicks: null, rule: null, reason: 'page-failed' };
  } finally {
    await browser.close().catch(() => undefined);
  }
}

/**
 * The whole of `--consent` for one page whose first load was audited: the answer and what follows
 * (measureConsent), the browser closed, the opt-in probe when the opt-out took two or more clicks
 * (R-TRK-02), and the combined report (lib/verdict/consent-decision.ts).
 */
export async function auditConsent(
  firstLoad: Report,
  run: ConsentRun & {
    url: string;
    probe: { executablePath: string; args: string[] };
    closeBrowser: () => Promise<void>;
  },
): Promise<Report> {
  const measured = await measureConsent(run);
  await run.closeBrowser();
  const answer = needsOptInProbe(measured.answer)
    ? { ...measured.answer, optInProbe: await probeOptIn(run.url, run.probe, run) }
    : measured.answer;
  return combineConsentAudit(firstLoad, { ...measured, answer });
}
