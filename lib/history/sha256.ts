/**
 * The one SHA-256 helper: hex digest of a string's UTF-8 bytes or of raw bytes, through
 * `crypto.subtle.digest` (FIPS 180-4), which the service worker, extension pages and Node 22 all
 * have. Used for the history's text snapshots (lib/history/store.ts) and every hash in the exports
 * (lib/export/).
 */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex SHA-256 of `data` (a string is hashed as UTF-8). */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  let out = '';
  for (const b of new Uint8Array(digest)) out += HEX[b];
  return out;
}
