/**
 * Keeps the tally in memory, persists it, and restores it after the MV3 service worker restarts.
 *
 * Chrome stops an idle (or, in tests, a deliberately stopped) service worker at any moment; all
 * in-memory state is lost, `storage.session` survives (docs/ARCHITECTURE.md, "Worker restarts").
 * The hub therefore:
 *  - holds the truth in memory and writes whole per-tab snapshots (never read-modify-write, which
 *    loses updates when handlers interleave);
 *  - coalesces writes per tab (at most one per `flushIntervalMs` and one at a time, trailing write
 *    guaranteed);
 *  - on start-up queues every event until the persisted state is restored, then applies them on
 *    top of it, so nothing is lost or counted twice;
 *  - writes every event, bounded to the storage budget (lib/tally/budget.ts), to a write-ahead log
 *    in the store the moment it arrives (`wal:` keys; events arriving while a log write is under
 *    way go into the next write, as one batch),
 *    before restore or data loading could delay it. A snapshot write carries a mark saying which
 *    logged events it contains; on restore, logged events the snapshot does not contain are
 *    replayed in order. Without the log, a worker stopped every 200 ms lost most of a page load:
 *    each new worker spends ~100 ms starting (restore, data) before its first snapshot
 *    (tests/e2e/chaos.spec.ts);
 *  - tells the background which visits were active when the previous worker stopped
 *    (`interruptedTabs`): Chromium never delivers some events aimed at a worker it is stopping,
 *    and no log can keep an event that never arrived, so those visits are reconciled with their
 *    page (lib/tally/resource-timing.ts, entrypoints/background/reconcile.ts).
 * Storage is injected, so this runs in Node tests with an in-memory store.
 */
import { type TallyEvent, type TallyState, type Visit, isVisit } from './types';
import { NO_WAITING_COOKIES, type WaitingCookies, reduceWithWaitingCookies } from './cookie-wait';
import { boundEvent } from './budget';

export interface SessionStore {
  get(keys: null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

export const VISIT_KEY_PREFIX = 'visit:';
export const WAL_PREFIX = 'wal:';
export const WAL_MARK_KEY = 'walmark';

/** One logged event. Boots are ordered by (bootAt, boot); events of a boot by seq. */
interface WalEntry {
  boot: string;
  bootAt: number;
  seq: number;
  event: TallyEvent;
}
/** Stored with every snapshot: the snapshot contains all events of older boots and of `boot` up to `seq`. */
interface WalMark {
  boot: string;
  bootAt: number;
  seq: number;
}

const walKey = (bootAt: number, boot: string, seq: number) =>
  `${WAL_PREFIX}${bootAt}:${boot}:${String(seq).padStart(9, '0')}`;

function isWalEntry(v: unknown): v is WalEntry {
  const e = v as Partial<WalEntry> | null;
  return (
    !!e &&
    typeof e === 'object' &&
    typeof e.boot === 'string' &&
    typeof e.bootAt === 'number' &&
    Number.isInteger(e.seq) &&
    !!e.event &&
    typeof e.event === 'object' &&
    typeof (e.event as { kind?: unknown }).kind === 'string'
  );
}

function isWalMark(v: unknown): v is WalMark {
  const m = v as Partial<WalMark> | null;
  return (
    !!m &&
    typeof m === 'object' &&
    typeof m.boot === 'string' &&
    typeof m.bootAt === 'number' &&
    Number.isInteger(m.seq)
  );
}

/** Whether `mark`'s snapshot already contains the logged entry. */
function covered(entry: WalEntry, mark: WalMark | null): boolean {
  if (!mark) return false;
  if (entry.bootAt !== mark.bootAt) return entry.bootAt < mark.bootAt;
  if (entry.boot !== mark.boot) return entry.boot < mark.boot;
  return entry.seq <= mark.seq;
}
export const visitKey = (tabId: number): string => `${VISIT_KEY_PREFIX}${tabId}`;

export interface TallyHubOptions {
  store: SessionStore;
  /** Called after a tab's visit changed (or was removed: visit null). */
  onVisitChanged?: (tabId: number, visit: Visit | null) => void;
  /** Reports a failure that must not break event handling (a storage error, a throwing reducer). */
  onError?: (where: string, error: unknown) => void;
  /** Cookie changes dropped because no visit requested their site in time (lib/tally/cookie-wait.ts). */
  onCookiesExpired?: (count: number) => void;
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
  /** Identifies this worker's life in the write-ahead log (default: random). */
  bootId?: string;
  /**
   * A restored visit whose latest event is at most this long before this worker started was
   * active when the previous worker stopped: Chrome stops an idle worker only after 30 s without
   * events, so such a stop was not idle, and events may have been dropped (`interruptedTabs`).
   */
  interruptWindowMs?: number;
}

export class TallyHub {
  private state: TallyState = {};
  /** Cookie changes no visit has taken yet (lib/tally/cookie-wait.ts); memory only, they live 2 s. */
  private waitingCookies: WaitingCookies = NO_WAITING_COOKIES;
  private restored = false;
  private pending: TallyEvent[] = [];
  private readonly dirty = new Set<number>();
  private lastFlushAt = 0;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  /** The snapshot write under way, if any. */
  private flushing: Promise<void> | null = null;
  private readonly ready: Promise<void>;
  private readonly flushIntervalMs: number;
  private readonly now: () => number;
  private readonly boot: { id: string; at: number };
  private seq = 0;
  /** Highest own seq whose event is in `state`. */
  private appliedSeq = 0;
  /** Log keys the next successful snapshot makes obsolete, with the last own seq they hold (0 = older boot). */
  private walKeys: { key: string; seq: number }[] = [];
  /** Events not yet sent to the log (a log write is under way), and whether one is. */
  private walQueue: WalEntry[] = [];
  private walWriting = false;
  private interrupted: number[] = [];

  constructor(private readonly options: TallyHubOptions) {
    this.flushIntervalMs = options.flushIntervalMs ?? 50;
    this.now = options.now ?? Date.now;
    this.boot = { id: options.bootId ?? Math.random().toString(36).slice(2, 10), at: this.now() };
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

  /**
   * Tabs whose visit was active when the previous worker was stopped (known once `whenReady`
   * resolved): events of that moment may never have arrived, so the background reconciles these
   * visits with their page (entrypoints/background/reconcile.ts). Empty after an idle stop.
   */
  interruptedTabs(): number[] {
    return [...this.interrupted];
  }

  dispatch(input: TallyEvent): void {
    // Within the storage budget, or not logged at all when it changes nothing (lib/tally/budget.ts).
    const event = boundEvent(input);
    if (!event) return;
    if (!this.restored) {
      this.log(event);
      this.pending.push(event);
      return;
    }
    // Once restored, an event that changed nothing (the 8,000 cookies past LIMITS.cookies of a
    // cookie loop) is not logged: replayed on the same state it would change nothing either.
    if (!this.apply(event)) return;
    this.appliedSeq = this.log(event);
    this.scheduleFlush();
  }

  /** Queues an event for the write-ahead log; returns its seq. */
  private log(event: TallyEvent): number {
    const seq = ++this.seq;
    this.walQueue.push({ boot: this.boot.id, bootAt: this.boot.at, seq, event });
    this.writeWal();
    return seq;
  }

  /**
   * Logs the queued events: at once when no log write is under way, else as one batch (one key,
   * an array) as soon as the running write is done. One write per event meant 10,000 storage
   * calls for a page writing 10,000 cookies, queued in front of every other storage call of the
   * extension (a popup's answer waited seconds); batching while a write runs adapts to the load
   * and delays no event by more than one storage round trip.
   */
  private writeWal(): void {
    if (this.walWriting || this.walQueue.length === 0) return;
    const batch = this.walQueue;
    this.walQueue = [];
    const key = walKey(this.boot.at, this.boot.id, batch[0]!.seq);
    this.walKeys.push({ key, seq: batch[batch.length - 1]!.seq });
    this.walWriting = true;
    this.options.store
      .set({ [key]: batch.length === 1 ? batch[0] : batch })
      .catch((error: unknown) => this.options.onError?.('wal', error))
      .finally(() => {
        this.walWriting = false;
        this.writeWal();
      });
  }

  /** Drops visits of tabs that no longer exist (closed while the worker was stopped). */
  retainTabs(openTabIds: ReadonlySet<number>): void {
    for (const visit of this.visits()) {
      if (!openTabIds.has(visit.tabId)) this.dispatch({ kind: 'tab-removed', tabId: visit.tabId });
    }
  }

  /** Reduces one event; returns whether it changed the state or the waiting cookies. */
  private apply(event: TallyEvent): boolean {
    const before = this.state;
    const waitingBefore = this.waitingCookies;
    let after: TallyState;
    try {
      const step = reduceWithWaitingCookies(
        before,
        this.waitingCookies,
        this.options.annotate ? this.options.annotate(event) : event,
        this.now(),
      );
      after = step.state;
      this.waitingCookies = step.waiting;
      if (step.expired) this.options.onCookiesExpired?.(step.expired);
    } catch (error) {
      // A reducer bug must never take the listener down with it; the event is dropped and logged.
      this.options.onError?.('reduce', error);
      return false;
    }
    if (after === before) return this.waitingCookies !== waitingBefore;
    this.state = after;
    const touched = new Set<number>();
    for (const key of Object.keys(after)) if (after[Number(key)] !== before[Number(key)]) touched.add(Number(key));
    for (const key of Object.keys(before)) if (!(key in after)) touched.add(Number(key));
    for (const tabId of touched) {
      this.dirty.add(tabId);
      this.options.onVisitChanged?.(tabId, after[tabId] ?? null);
    }
    this.scheduleFlush();
    return true;
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== null) return;
    const wait = Math.max(0, this.lastFlushAt + this.flushIntervalMs - this.now());
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flush();
    }, wait);
  }

  /**
   * Writes every changed tab now. Safe to call at any time; tests and shutdown paths use it.
   * One snapshot write at a time: a write under way is awaited first, and the tabs that changed
   * meanwhile go into the next one. A visit with 2,000 cookies is ~0.6 MB; written every 50 ms
   * while a page churns cookies, the writes piled up in storage.session faster than the browser
   * applied them and every other storage call of the extension waited behind them.
   */
  async flush(): Promise<void> {
    if (this.flushTimer !== null) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    while (this.flushing) await this.flushing;
    const run = this.flushNow();
    this.flushing = run;
    try {
      await run;
    } finally {
      if (this.flushing === run) this.flushing = null;
    }
  }

  private async flushNow(): Promise<void> {
    if (this.dirty.size === 0 && this.walKeys.length === 0) return;
    if (!this.restored) return; // the restore's own flush follows
    const toSet: Record<string, unknown> = {};
    const toRemove: string[] = [];
    const mark: WalMark = { boot: this.boot.id, bootAt: this.boot.at, seq: this.appliedSeq };
    const obsolete = this.walKeys.filter((k) => k.seq <= mark.seq);
    this.walKeys = this.walKeys.filter((k) => k.seq > mark.seq);
    toSet[WAL_MARK_KEY] = mark;
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
        this.options.store.set(toSet),
        toRemove.length ? this.options.store.remove(toRemove) : undefined,
      ]);
    } catch (error) {
      this.options.onError?.('persist', error);
      // Try again with the next flush; the memory still holds the truth, the log stays.
      for (const key of [...Object.keys(toSet), ...toRemove])
        if (key.startsWith(VISIT_KEY_PREFIX)) this.dirty.add(Number(key.slice(VISIT_KEY_PREFIX.length)));
      this.walKeys = [...obsolete, ...this.walKeys];
      return;
    }
    // The snapshot (with its mark) is stored: the log entries it contains can go.
    if (obsolete.length)
      await this.options.store
        .remove(obsolete.map((k) => k.key))
        .catch((error: unknown) => this.options.onError?.('wal', error));
  }

  private async restore(): Promise<void> {
    const replay: { key: string; entry: WalEntry }[] = [];
    const data = (this.options.waitFor ?? Promise.resolve()).catch((error: unknown) =>
      this.options.onError?.('waitFor', error),
    );
    try {
      const stored = await this.options.store.get(null);
      const restored: Record<number, Visit> = {};
      const invalid: string[] = [];
      const mark = isWalMark(stored[WAL_MARK_KEY]) ? stored[WAL_MARK_KEY] : null;
      for (const [key, value] of Object.entries(stored)) {
        if (key.startsWith(WAL_PREFIX)) {
          // One event, or a batch of them (writeWal).
          const entries = Array.isArray(value) ? value : [value];
          if (entries.length === 0 || !entries.every(isWalEntry)) {
            invalid.push(key);
            continue;
          }
          if (entries[0]!.boot === this.boot.id) continue; // our own events are queued in memory
          const open = entries.filter((entry) => !covered(entry, mark));
          if (open.length === 0)
            invalid.push(key); // already in the snapshot: just tidy up
          else for (const entry of open) replay.push({ key, entry });
          continue;
        }
        if (!key.startsWith(VISIT_KEY_PREFIX)) continue;
        if (isVisit(value)) restored[value.tabId] = value;
        else invalid.push(key);
      }
      this.state = restored;
      const badVisits = invalid.filter((k) => k.startsWith(VISIT_KEY_PREFIX));
      if (badVisits.length)
        this.options.onError?.('restore', new Error(`dropped invalid stored visits: ${badVisits.join(', ')}`));
      if (invalid.length) await this.options.store.remove(invalid);
    } catch (error) {
      this.options.onError?.('restore', error);
    }
    await data; // already loading in parallel with the restore
    this.restored = true;
    // Events an earlier worker logged but never saved in a snapshot, in the order they happened.
    replay.sort(
      (a, b) =>
        a.entry.bootAt - b.entry.bootAt ||
        (a.entry.boot < b.entry.boot ? -1 : a.entry.boot > b.entry.boot ? 1 : 0) ||
        a.entry.seq - b.entry.seq,
    );
    for (const { entry } of replay) this.apply(entry.event);
    for (const key of new Set(replay.map((r) => r.key))) this.walKeys.push({ key, seq: 0 });
    // Before this worker's own events: those would make every visit look active.
    const recentMs = this.options.interruptWindowMs ?? 25_000;
    this.interrupted = Object.values(this.state)
      .filter((visit) => (visit.lastEventAt ?? visit.startedAt) >= this.boot.at - recentMs)
      .map((visit) => visit.tabId);
    const queued = this.pending;
    this.pending = [];
    for (const event of queued) this.apply(event);
    this.appliedSeq = this.seq;
    if (replay.length || queued.length) this.scheduleFlush();
    for (const visit of Object.values(this.state)) this.options.onVisitChanged?.(visit.tabId, visit);
  }
}
