// The one SHA-256 helper (lib/sha256.ts) against the FIPS 180-4 test vectors and node:crypto.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '@/lib/history/sha256';

describe('sha256Hex', () => {
  it('gives the FIPS 180-4 example digests', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes strings as UTF-8 and bytes as they are, like node:crypto', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 100 }),
        fc.uint8Array({ maxLength: 300 }),
        async (text, bytes) => {
          expect(await sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
          expect(await sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
        },
      ),
      { numRuns: 100 },
    );
  });
});
