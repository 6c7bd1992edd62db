// Writes the icons into public/icon/ from the one drawing description in lib/toolbar/icon.ts:
// the extension's icon (every lamp lit) at 16/32/48/96/128 px and the toolbar's four states
// (unknown, red, yellow, green) at 16/32 px. PNG without an image library: RGBA rows, zlib-deflated,
// in PNG chunks (https://www.w3.org/TR/png-3/). Called by the WXT `build:before` hook
// (wxt.config.ts); the files are generated, not committed. Deterministic: same drawing, same bytes.
//   npx tsx scripts/build-icons.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { ACTION_ICON_SIZES, APP_ICON_SIZES, ICON_STATES, iconPath, renderIcon } from '../lib/toolbar/icon';

const PUBLIC_DIR = fileURLToPath(new URL('../public', import.meta.url));

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([len, typed, crc]);
}

/** An 8-bit RGBA PNG of size × size pixels. */
export function encodePng(size: number, rgba: Uint8Array): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    // Filter type 0 (none) before each row.
    rows.push(Buffer.from([0]), Buffer.from(rgba.subarray(y * size * 4, (y + 1) * size * 4)));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function buildIcons(dir = PUBLIC_DIR): string[] {
  const written: string[] = [];
  const write = (path: string, png: Buffer) => {
    mkdirSync(join(dir, 'icon'), { recursive: true });
    writeFileSync(join(dir, path), png);
    written.push(path);
  };
  for (const size of APP_ICON_SIZES) write(iconPath('all', size), encodePng(size, renderIcon(size, 'all')));
  for (const state of ICON_STATES)
    for (const size of ACTION_ICON_SIZES) write(iconPath(state, size), encodePng(size, renderIcon(size, state)));
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) console.log(buildIcons().join('\n'));
