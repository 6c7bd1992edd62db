/**
 * Runtime messages between extension pages and the background, and their validation.
 * Anything that does not match exactly is dropped by the receiver.
 */
import * as v from 'valibot';
import { ConsentMessageSchema } from './page/consent';
import type { PageChecks } from './page/checks';
import type { Report } from './verdict/report';
import type { Visit } from './tally/types';

export interface DataAssetStatus {
  /** Since the worker's start, when the asset became usable. */
  readyAtMs: number;
  /** Fetch to usable, and its phases: response headers, body read/parse, index build. */
  loadMs: number;
  fetchMs: number;
  bodyMs: number;
  buildMs: number;
  source: string | null;
  error: string | null;
}

const TabId = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 31));

/** Requests extension pages (popup, history, about) may send; strict: no extra keys. */
export const BackgroundRequestSchema = v.variant('type', [
  /** `first`: the popup's first answer, without the long lists (lib/verdict/first-view.ts). */
  v.strictObject({ type: v.literal('get-visit'), tabId: TabId, first: v.optional(v.literal(true)) }),
  v.strictObject({ type: v.literal('get-status') }),
  /** The user marks (true), unmarks (false) or resets (null) the page's site or account as an authority. */
  v.strictObject({ type: v.literal('set-authority'), tabId: TabId, value: v.nullable(v.boolean()) }),
]);
export type BackgroundRequest = v.InferOutput<typeof BackgroundRequestSchema>;

/** Messages content scripts send (facts are checked in depth by lib/page/facts.ts). */
export const ContentMessageSchema = v.variant('type', [
  v.strictObject({ type: v.literal('page-facts'), facts: v.unknown() }),
  v.strictObject({ type: v.literal('page-interaction'), at: v.pipe(v.number(), v.finite()) }),
  /** The page's `load` is over (entrypoints/resource-timing.content.ts): the background injects the page scripts. */
  v.strictObject({ type: v.literal('page-loaded') }),
  // Consent-banner detection (entrypoints/consent.content.ts).
  ...ConsentMessageSchema.options,
]);
export type ContentMessage = v.InferOutput<typeof ContentMessageSchema>;

/** Larger messages are dropped unread: page facts are capped well below this (lib/page/facts.ts). */
export const MAX_MESSAGE_CHARS = 2_000_000;

function roughSize(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return Number.POSITIVE_INFINITY; // cycles, BigInt …: not something we sent
  }
}

/** Messages arrive structured-cloned: plain objects with own properties only. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return (proto === Object.prototype || proto === null) && Object.hasOwn(value, 'type');
}

export function parseBackgroundRequest(value: unknown): BackgroundRequest | null {
  if (!isPlainObject(value)) return null;
  const r = v.safeParse(BackgroundRequestSchema, value);
  return r.success ? r.output : null;
}

export function parseContentMessage(value: unknown): ContentMessage | null {
  if (!isPlainObject(value) || roughSize(value) > MAX_MESSAGE_CHARS) return null;
  const r = v.safeParse(ContentMessageSchema, value);
  return r.success ? r.output : null;
}

export type BackgroundResponse =
  | {
      type: 'visit';
      visit: Visit | null;
      /** Imprint, privacy notice, messengers: null until the content script has reported. */
      checks: PageChecks | null;
      /** The report (docs/report-schema.json): verdict, findings, everything. */
      report: Report | null;
      /** A data asset failed to load: companies and countries may show as unknown. */
      dataIncomplete: boolean;
      /** The first answer to the popup: long lists left out (lib/verdict/first-view.ts); the full one follows. */
      partial?: true;
    }
  | { type: 'error'; message: string }
  /** To a content script: its page facts were stored (or refused: ok false). */
  | { type: 'ack'; ok: boolean }
  | {
      type: 'status';
      startedAt: number;
      visits: number;
      /** How each data asset loaded (absent while loading). */
      data: { trackers?: DataAssetStatus; ipTable?: DataAssetStatus };
    };

type VisitResponse = Extract<BackgroundResponse, { type: 'visit' }>;
type ErrorResponse = Extract<BackgroundResponse, { type: 'error' }>;
type StatusResponse = Extract<BackgroundResponse, { type: 'status' }>;

/** What the background answers to each request of an extension page (entrypoints/shared/ask.ts). */
export interface BackgroundReplies {
  'get-visit': VisitResponse;
  'get-status': StatusResponse;
  'set-authority': VisitResponse | ErrorResponse;
}
