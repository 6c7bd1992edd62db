/**
 * One typed way for extension pages to ask the background (lib/messages.ts): the reply's type
 * follows from the request's, so no caller casts. The background validates every request.
 */
import { extensionApi as browser } from './extension-api';
import type { BackgroundReplies, BackgroundRequest } from '@/lib/messages';

/** The background's answer, or undefined when it sent none (malformed request, worker gone). */
export async function ask<R extends BackgroundRequest>(request: R): Promise<BackgroundReplies[R['type']] | undefined> {
  return (await browser.runtime.sendMessage(request)) as BackgroundReplies[R['type']] | undefined;
}
