/**
 * The user's ticked observations per site (lib/verdict/user-reported.ts), in storage.local under
 * one key. Read and written only by this page: a read-modify-write is safe here, the page is the
 * only writer and each tick is one user action.
 */
import { browser } from 'wxt/browser';
import {
  USER_OBSERVATIONS_KEY,
  type UserObservationId,
  observationsFor,
  withObservations,
} from '@/lib/verdict/user-reported';

async function stored(): Promise<unknown> {
  return (await browser.storage.local.get(USER_OBSERVATIONS_KEY))[USER_OBSERVATIONS_KEY];
}

export async function loadObservations(site: string): Promise<UserObservationId[]> {
  try {
    return observationsFor(await stored(), site);
  } catch {
    return [];
  }
}

export async function saveObservations(site: string, ids: readonly string[]): Promise<void> {
  await browser.storage.local.set({ [USER_OBSERVATIONS_KEY]: withObservations(await stored(), site, ids, Date.now()) });
}
