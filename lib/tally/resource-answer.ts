/**
 * The content script's answer with its page's Resource Timing (lib/tally/resource-timing.ts), checked
 * by the background before anything from it reaches the tally. Kept apart from
 * lib/tally/resource-timing.ts so the content script, which imports that module, carries no valibot.
 */
import * as v from 'valibot';
import { RESOURCE_LIMITS } from './resource-timing';

const Url = v.pipe(v.string(), v.maxLength(RESOURCE_LIMITS.urlChars));
const Time = v.pipe(v.number(), v.finite(), v.minValue(0));

export const ResourceAnswerSchema = v.strictObject({
  type: v.literal('dsa-resource-entries'),
  /** The document's URL as first loaded (the navigation entry's name: pushState does not change it). */
  documentUrl: Url,
  /** When the content script read its entries (ms since epoch): requests starting later are not in them. */
  at: Time,
  /** The page is controlled by a service worker: its subresource fetches are not the tab's requests. */
  controlled: v.boolean(),
  entries: v.pipe(
    v.array(v.strictObject({ url: Url, t: v.pipe(v.string(), v.maxLength(32)), s: v.optional(Time) })),
    v.maxLength(RESOURCE_LIMITS.entries),
  ),
  /** Entries not kept (over the cap, too long, not http(s), answered from a cache). */
  dropped: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** Names of cookies visible to document.cookie that appeared or changed value since document_start. */
  changedCookies: v.pipe(v.array(v.pipe(v.string(), v.maxLength(256))), v.maxLength(RESOURCE_LIMITS.cookieNames)),
});
export type ResourceAnswer = v.InferOutput<typeof ResourceAnswerSchema>;

export function parseResourceAnswer(value: unknown): ResourceAnswer | null {
  const r = v.safeParse(ResourceAnswerSchema, value);
  return r.success ? r.output : null;
}
