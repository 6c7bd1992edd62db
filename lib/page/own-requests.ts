/**
 * What webRequest reports about the extension's own fetches (the legal pages): each hop's
 * redirect target and server IP. fetch() shows neither: with `redirect: 'manual'` the answer is an
 * opaque redirect without its Location (Fetch standard, "opaque-redirect filtered response"), and
 * no answer carries the server's address. webRequest does: the extension's own requests arrive
 * with `tabId -1` and the extension's origin as `initiator` (Chrome; Firefox names it
 * `originUrl`, not tried here);
 * `details.ip` is set on onBeforeRedirect and onResponseStarted (seen in Chromium 156, the event
 * arriving before or just after fetch() settles). entrypoints/background/legal-docs.ts follows
 * redirects itself with it; index.ts feeds the events.
 */

export interface OwnHop {
  /** The redirect's target (onBeforeRedirect) — absent for a final answer (onResponseStarted). */
  redirectUrl?: string;
  ip: string | null;
  /** Date.now() when the event arrived. */
  at: number;
}

interface RequestDetails {
  tabId: number;
  url: string;
  ip?: string;
  redirectUrl?: string;
  initiator?: string;
  originUrl?: string;
}

/** Events are kept this long: one fetch waits for its own hop's event for at most a second. */
const KEEP_MS = 60_000;
const withoutFragment = (url: string) => url.split('#', 1)[0]!;

export class OwnRequests {
  private readonly redirects = new Map<string, OwnHop>();
  private readonly responses = new Map<string, OwnHop>();
  private readonly waiting = new Set<() => void>();

  constructor(private readonly origin: string) {}

  /** Feeds a webRequest onBeforeRedirect / onResponseStarted event; keeps only our own requests. */
  observe(d: RequestDetails): void {
    if (d.tabId !== -1) return;
    const from = d.initiator ?? d.originUrl ?? '';
    if (from !== this.origin && !from.startsWith(`${this.origin}/`)) return;
    const now = Date.now();
    const hop: OwnHop = { ip: d.ip ?? null, at: now };
    if (d.redirectUrl !== undefined) hop.redirectUrl = d.redirectUrl;
    const map = d.redirectUrl !== undefined ? this.redirects : this.responses;
    map.set(withoutFragment(d.url), hop);
    for (const m of [this.redirects, this.responses]) for (const [url, h] of m) if (now - h.at > KEEP_MS) m.delete(url);
    for (const wake of [...this.waiting]) wake();
  }

  /** The redirect of `url` seen since `since`, waiting up to `timeoutMs` for its event. */
  redirectOf(url: string, since: number, timeoutMs: number): Promise<OwnHop | null> {
    return this.wait(this.redirects, url, since, timeoutMs);
  }

  /** The final answer's hop (its server IP) of `url` seen since `since`, waiting up to `timeoutMs`. */
  responseOf(url: string, since: number, timeoutMs: number): Promise<OwnHop | null> {
    return this.wait(this.responses, url, since, timeoutMs);
  }

  private wait(map: Map<string, OwnHop>, url: string, since: number, timeoutMs: number): Promise<OwnHop | null> {
    const key = withoutFragment(url);
    const found = () => {
      const hop = map.get(key);
      return hop && hop.at >= since ? hop : null;
    };
    const now = found();
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => {
      const done = (hop: OwnHop | null) => {
        clearTimeout(timer);
        this.waiting.delete(check);
        resolve(hop);
      };
      const check = () => {
        const hop = found();
        if (hop) done(hop);
      };
      const timer = setTimeout(() => done(null), timeoutMs);
      this.waiting.add(check);
    });
  }
}
