/**
 * True the first time a content script of ours asks under `name` in this document, false after.
 * The background injects the page scripts when the page says its load is over
 * (entrypoints/background/page-scripts.ts) and the page asks again when no acknowledgement came
 * (a worker stopped in the middle): a second copy must not read and report the page twice. The
 * mark lives in our isolated world's global object, which the page cannot see
 * (https://developer.chrome.com/docs/extensions/develop/concepts/content-scripts#isolated_world).
 */
export function firstInThisDocument(name: string): boolean {
  const key = Symbol.for(`datenschutz-ampel:${name}`);
  const world = globalThis as unknown as Record<symbol, boolean | undefined>;
  if (world[key]) return false;
  world[key] = true;
  return true;
}
