/**
 * The popup's script, built as one classic script with everything it imports (a WXT unlisted
 * script: https://wxt.dev/guide/essentials/entrypoints.html#unlisted-scripts) and loaded by
 * popup/index.html. As an ES module graph (entry plus four shared chunks) the same code took
 * longer from opening to the first verdict on the bench machine — ~60 ms at load average 9–15,
 * 10–20 ms when idle (`npm run bench`, popup section, against the floor of an extension document
 * without script): a module graph is fetched and instantiated file by file through the
 * extension's resource loader before any of it runs. Loaded at the end of the
 * body, after the style sheet: an `async` script in the head, asking while the rest loads, was
 * not faster. The first question to the background is asked earlier still, by the small head
 * script entrypoints/popup-ask.ts.
 */
import { render } from 'preact';
import { App } from './popup/App';

export default defineUnlistedScript(() => {
  // For npm run bench (tests/bench/popup-bench.ts): the main script has loaded and runs.
  performance.mark('dsa-script');
  render(<App />, document.getElementById('app')!);
});
