import { describe, expect, it } from 'vitest';
import { afterPageLoad } from '@/lib/page/yield-to-page';

/** A window whose load event, timers and idle callbacks run only when the test says so. */
function fakeWindow(readyState: string, withIdle = true) {
  const queue: { kind: 'timeout' | 'idle'; fn: () => void }[] = [];
  /** Timers of a second or more: they run only when the test lets the time pass. */
  const later: (() => void)[] = [];
  let onLoad: (() => void) | null = null;
  const win = {
    document: { readyState },
    addEventListener: (_type: 'load', fn: () => void) => {
      onLoad = fn;
    },
    setTimeout: (fn: () => void, ms: number) => (ms >= 1000 ? later.push(fn) : queue.push({ kind: 'timeout', fn })),
    ...(withIdle
      ? { requestIdleCallback: (fn: () => void, _o: { timeout: number }) => queue.push({ kind: 'idle', fn }) }
      : {}),
  };
  return {
    win,
    fireLoad: () => {
      win.document.readyState = 'complete';
      onLoad?.();
    },
    /** Lets the long timers run. */
    elapse: () => {
      for (const fn of later.splice(0)) fn();
    },
    /** Runs what is queued (one round); returns the kinds run. */
    run: () =>
      queue.splice(0).map((t) => {
        t.fn();
        return t.kind;
      }),
  };
}
const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => (done = true));
  await Promise.resolve();
  await Promise.resolve();
  return done;
};

describe('afterPageLoad', () => {
  it('waits for the load event, then for the next idle period', async () => {
    const w = fakeWindow('interactive');
    const p = afterPageLoad(w.win);
    expect(w.run()).toEqual([]);
    expect(await settled(p)).toBe(false);
    w.fireLoad();
    expect(w.run()).toEqual(['timeout']); // the task after the load event
    expect(await settled(p)).toBe(false);
    expect(w.run()).toEqual(['idle']);
    expect(await settled(p)).toBe(true);
  });

  it('does not wait for a load event that is already over', async () => {
    const w = fakeWindow('complete');
    const p = afterPageLoad(w.win);
    w.run();
    w.run();
    expect(await settled(p)).toBe(true);
  });

  it('falls back to a timeout where requestIdleCallback is missing', async () => {
    const w = fakeWindow('loading', false);
    const p = afterPageLoad(w.win);
    w.fireLoad();
    expect(w.run()).toEqual(['timeout']);
    expect(w.run()).toEqual(['timeout']);
    expect(await settled(p)).toBe(true);
  });

  it('reads a page whose load event never comes, after the longest wait', async () => {
    const w = fakeWindow('interactive');
    const p = afterPageLoad(w.win);
    expect(w.run()).toEqual([]);
    expect(await settled(p)).toBe(false);
    w.elapse();
    expect(w.run()).toEqual(['idle']);
    expect(await settled(p)).toBe(true);
  });

  it('asks for one idle period only, when the load comes and the longest wait passes too', async () => {
    const w = fakeWindow('interactive');
    const p = afterPageLoad(w.win);
    w.fireLoad();
    expect(w.run()).toEqual(['timeout']);
    w.elapse();
    expect(w.run()).toEqual(['idle']);
    expect(await settled(p)).toBe(true);
  });
});
