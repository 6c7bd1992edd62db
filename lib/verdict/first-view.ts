/**
 * The popup's first answer: everything the first screen shows (verdict, reasons, authority, the
 * section headers' one-line hints), without the long lists only the opened sections need — the
 * per-host rows of visit and report, the company groups, the request ledger and the replaced
 * visit. On a page with 500 third-party hosts the full answer is ~340 KB of JSON that the
 * extension messaging serialises and parses in both processes
 * (https://developer.chrome.com/docs/extensions/develop/concepts/messaging: messages are
 * JSON-serialised); the first answer is a few KB and the full one follows right after the first
 * paint (entrypoints/popup/App.tsx). Pure: no browser APIs.
 */
import type { BackgroundReplies } from '../messages';

type VisitReply = BackgroundReplies['get-visit'];

export function firstView(reply: VisitReply): VisitReply {
  const { visit, report } = reply;
  return {
    ...reply,
    partial: true,
    visit: visit && { ...visit, hosts: [], hostIndex: {}, ledger: undefined, previous: undefined },
    report: report && {
      ...report,
      companies: [],
      requests: { ...report.requests, thirdPartyHosts: [] },
    },
  };
}
