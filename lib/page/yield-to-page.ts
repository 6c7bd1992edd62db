/**
 * Lets the page run before our content-script work continues: `scheduler.yield()` where the
 * browser has it (the continuation keeps its priority), else a 0 ms timeout.
 */
export function yieldToPage(): Promise<void> {
  return new Promise<void>((resolve) => {
    const s = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
    if (s?.yield) void s.yield().then(resolve);
    else setTimeout(resolve, 0);
  });
}
