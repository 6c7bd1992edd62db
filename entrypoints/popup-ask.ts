/**
 * The popup's head script: asks the background for the tab's verdict before the style sheet and
 * the main script (entrypoints/popup-app.tsx) have loaded, so the answer travels while they do.
 * A classic `async` script is neither blocked by the style sheet nor blocks the parser
 * (https://html.spec.whatwg.org/multipage/scripting.html#attr-script-async); if it has not run
 * by the time the main script needs the answer, the main script asks itself
 * (entrypoints/shared/first-visit.ts takeFirstVisit).
 */
import { startFirstVisit } from './shared/first-visit';

export default defineUnlistedScript(() => {
  startFirstVisit();
});
