/**
 * Stands in for WXT's `ContentScriptContext` in our content scripts: wxt.config.ts aliases
 * `wxt/utils/content-script-context` (which WXT's content-script wrapper,
 * wxt/dist/virtual/content-script-isolated-world-entrypoint.mjs, instantiates before `main`) to
 * this file.
 *
 * Why: WXT 0.21's class announces every script's start to the page — `stopOldScripts()` in
 * wxt/dist/utils/content-script-context.mjs dispatches a `document` CustomEvent named
 * `<extension id>:<entrypoint>:wxt:content-script-started` and `window.postMessage`s the same
 * type. Any page listener hears the message (and, knowing the public extension id, the event) and
 * learns that this visitor runs Datenschutz-Ampel. The `noScriptStartedPostMessage` option only
 * drops the message (wxt/dist/types.d.mts; https://github.com/wxt-dev/wxt/pull/2035); the event stays.
 *
 * What WXT uses the announcement for: an updated or reloaded extension's new script aborts the
 * old copy's context in an open tab. Our scripts never used the context (their `main` takes no
 * `ctx`), so they lose nothing; an orphaned copy's messages fail and are caught. This class keeps
 * the part of the API that needs no page-visible signal: the abort signal and guarded timers.
 * tests/e2e/quiet.spec.ts shows the page hears nothing. It reads the runtime through the browser's
 * own API object, not webextension-polyfill: the `document_start` script starts in every page, and
 * the polyfill was ~10 KB of it (docs/ARCHITECTURE.md, "Page-load overhead").
 */
import { extensionApi } from '@/entrypoints/shared/extension-api';

export class ContentScriptContext {
  private readonly controller = new AbortController();

  constructor(
    readonly contentScriptName: string,
    readonly options?: unknown,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(reason?: unknown): void {
    this.controller.abort(reason);
  }

  /** The extension was reloaded or removed (the runtime is gone), or the context was aborted. */
  get isInvalid(): boolean {
    if (extensionApi.runtime?.id == null) this.notifyInvalidated();
    return this.signal.aborted;
  }

  get isValid(): boolean {
    return !this.isInvalid;
  }

  onInvalidated(cb: () => void): () => void {
    this.signal.addEventListener('abort', cb);
    return () => this.signal.removeEventListener('abort', cb);
  }

  /** A promise that never settles, for async work that must not go on after invalidation. */
  block<T>(): Promise<T> {
    return new Promise(() => undefined);
  }

  setTimeout(handler: () => void, timeout?: number): number {
    const id = setTimeout(() => this.isValid && handler(), timeout) as unknown as number;
    this.onInvalidated(() => clearTimeout(id));
    return id;
  }

  setInterval(handler: () => void, timeout?: number): number {
    const id = setInterval(() => this.isValid && handler(), timeout) as unknown as number;
    this.onInvalidated(() => clearInterval(id));
    return id;
  }

  notifyInvalidated(): void {
    this.abort('Content script context invalidated');
  }
}
