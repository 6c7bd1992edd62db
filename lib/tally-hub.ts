/**
 * Keeps the tally in memory, persists it, and restores it after the MV3 service worker restarts.
 *
 * Chrome stops an idle (or, in tests, a deliberately stopped) service worker at any moment; all
 * in-memory state is lost, `storage.session` survives (docs/ARCHITECTURE.md, "Worker restarts").
 * The hub therefore:
 *  - holds the truth in memory and writes whole per-tab snapshots (never read-modify-write, which
 *    loses updates when handlers interleave);
 *  - coalesces writes per tab (at most one per `flushIntervalMs`, trailing write guaranteed);
 *  - on start-up queues every event until the persisted state is restored, then applies them on
 *    top of it, so nothing is lost or counted twice.
 * Storage is injected, so this runs in Node tests with an in-memory store.
 */
import { type TallyEvent, type TallyState, type Visit, isVisit, reduceTally } from './tally';

export interface SessionStore {
  get(keys: null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

export const VISIT_KEY_PREFIX = 'visit:';
export const visitKey = (tabId: number): string => `${VISIT_KEY_PREFIX}${tabId}`;

export interface TallyHubOptions {
  store: SessionStore;
  /** Called after a tab's visit changed (or was removed: visit null). */
  onVisitChanged?: (tabId: number, visit: Visit | null) => void;
  /** Reports a failure that must not break event handling (a storage error, a throwing reducer). */
  onError?: (where: string, error: unknown) => void;
  flushIntervalMs?: number;
  now?: () => number;
  /**
   * Adds facts that need loaded data to an event before it is reduced (the background sets the
   * tool a request path reveals). Runs only once `waitFor` has settled, so events that woke the
   * worker are annotated like all others.
   */
  annotate?: (event: TallyEvent) => TallyEvent;
  /** Something to wait for before queued events are applied (the classifier's data); a rejection only delays. */
  waitFor?: Promise<unknown>;
}

export class TallyHub {
  private state: TallyState = {};
  private restored = false;
  private pending: TallyEvent[] = [];
  private readonly dirty = new Set<number>();
  private lastFlushAt = 0;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly ready: Promise<void>;
  private readonly flushIntervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: TallyHubOptions) {
    this.flushIntervalMs = options.flushIntervalMs ?? 50;
    this.now = options.now ?? Date.now;
    this.ready = this.restore();
  }

  /** Resolves once the persisted state has been restored and queued events applied. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  visit(tabId: number): Visit | null {
    return this.state[tabId] ?? null;
  }

  visits(): Visit[] {
    return Object.values(this.state);
  }

  dispatch(event: TallyEvent): void {
    if (!this.restored) {
      this.pending.push(event);
      return;
    }
    this.apply(event);
  }

  /** Drops visits of tabs that no longer exist (closed while the worker was stopped). */
  retainTabs(openTabIds: ReadonlySet<number>): void {
    for (const visit of this.visits()) {
      if (!openTabIds.has(visit.tabId)) this.dispatch({ kind: 'tab-removed', tabId: visit.tabId });
    }
  }

  private apply(event: TallyEvent): void {
    const before = this.state;
    let after: TallyState;
    try {
      after = reduceTally(before, this.options.annotate ? this.options.annotate(event) : event);
    } catch (error) {
      // A reducer bug must never take the listener down with it; the event is dropped and logged.
      this.options.onError?.('reduce', error);
      return;
    }
    if (after === before) return;
    this.state = after;
    const touched = new Set<number>();
    for (const key of Object.keys(after)) if (after[Number(key)] !== before[Number(key)]) touched.add(Number(key));
    for (const key of Object.keys(before)) if (!(key in after)) touched.add(Number(key));
    for (const tabId of touched) {
      this.dirty.add(tabId);
      this.options.onVisitChanged?.(tabId, after[tabId] ?? null);
    }
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== null) return;
    const wait = Math.max(0, this.lastFlushAt + this.flushIntervalMs - this.now());
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flush();
    }, wait);
  }

  /** Writes every changed tab now. Safe to call at any time; tests and shutdown paths use it. */
  async flush(): Promise<void> {
    if (this.flushTimer !== null) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    if (this.dirty.size === 0) return;
    const toSet: Record<string, unknown> = {};
    const toRemove: string[] = [];
    for (const tabId of this.dirty) {
      const visit = this.state[tabId];
      if (visit) toSet[visitKey(tabId)] = visit;
      else toRemove.push(visitKey(tabId));
    }
    this.dirty.clear();
    this.lastFlushAt = this.now();
    // Writes are issued in order and not awaited one by one: the browser applies storage
    // operations of one extension in the order they were sent, and each is a full snapshot.
    try {
      await Promise.all([
        Object.keys(toSet).length ? this.options.store.set(toSet) : undefined,
        toRemove.length ? this.options.store.remove(toRemove) : undefined,
      ]);
    } catch (error) {
      this.options.onError?.('persist', error);
      // Try again with the next flush; the memory still holds the truth.
      for (const tabId of [...Object.keys(toSet), ...toRemove]) this.dirty.add(Number(tabId.slice(VISIT_KEY_PREFIX.length)));
    }
  }

  private async restore(): Promise<void> {
    const data = (this.options.waitFor ?? Promise.resolve()).catch((error: unknown) => this.options.onError?.('waitFor', error));
    try {
      const stored = await this.options.store.get(null);
      const restored: Record<number, Visit> = {};
      const invalid: string[] = [];
      for (const [key, value] of Object.entries(stored)) {
        if (!key.startsWith(VISIT_KEY_PREFIX)) continue;
        if (isVisit(value)) restored[value.tabId] = value;
        else invalid.push(key);
      }
      this.state = restored;
      if (invalid.length) {
        this.options.onError?.('restore', new Error(`dropped invalid stored visits: ${invalid.join(', ')}`));
        await this.options.store.remove(invalid);
      }
    } catch (error) {
      this.options.onError?.('restore', error);
    }
    await data; // already loading in parallel with the restore
    this.restored = true;
    const queued = this.pending;
    this.pending = [];
    for (const event of queued) this.apply(event);
    for (const visit of Object.values(this.state)) this.options.onVisitChanged?.(visit.tabId, visit);
  }
}
