import { type SessionStore, VISIT_KEY_PREFIX, WAL_MARK_KEY, WAL_PREFIX } from '@/lib/tally/hub';

/**
 * In-memory storage.session: values are structured-cloned on the way in and out (like the real
 * storage, which serialises), operations take effect in call order, and each call can be delayed.
 */
export class MemoryStore implements SessionStore {
  readonly data = new Map<string, unknown>();
  readonly calls: Array<{ op: 'get' | 'set' | 'remove'; arg: unknown }> = [];
  /** Resolved before `get` answers; replace to hold restore back. */
  getGate: Promise<void> = Promise.resolve();
  failSet: Error | null = null;
  failGet: Error | null = null;
  delayMs = 0;

  private async pause(): Promise<void> {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    else await Promise.resolve();
  }

  async get(keys: null): Promise<Record<string, unknown>> {
    this.calls.push({ op: 'get', arg: keys });
    await this.getGate;
    await this.pause();
    if (this.failGet) throw this.failGet;
    return structuredClone(Object.fromEntries(this.data));
  }

  async set(items: Record<string, unknown>): Promise<void> {
    this.calls.push({ op: 'set', arg: structuredClone(items) });
    if (this.failSet) {
      await this.pause();
      throw this.failSet;
    }
    for (const [k, v] of Object.entries(items)) this.data.set(k, structuredClone(v));
    await this.pause();
  }

  async remove(keys: string[]): Promise<void> {
    this.calls.push({ op: 'remove', arg: [...keys] });
    for (const k of keys) this.data.delete(k);
    await this.pause();
  }

  /** Snapshot writes (calls that write a visit); write-ahead-log entries and marks are not counted. */
  sets(): number {
    return this.calls.filter(
      (c) => c.op === 'set' && Object.keys(c.arg as object).some((k) => k.startsWith(VISIT_KEY_PREFIX)),
    ).length;
  }

  /** Stored keys without the write-ahead log. */
  storedKeys(): string[] {
    return [...this.data.keys()].filter((k) => !k.startsWith(WAL_PREFIX) && k !== WAL_MARK_KEY);
  }

  walKeys(): string[] {
    return [...this.data.keys()].filter((k) => k.startsWith(WAL_PREFIX));
  }
}
