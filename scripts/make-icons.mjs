// Draws the toolbar icon (a traffic light) as PNGs in public/icon/ with no image library:
// raw RGBA rows, zlib-deflated, wrapped in PNG chunks. Run once; the PNGs are committed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};

function icon(size) {
  const rows = [];
  const lamps = [
    [0xd9, 0x30, 0x25],
    [0xf2, 0xb7, 0x05],
    [0x1e, 0x8e, 0x3e],
  ];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / size,
        v = (y + 0.5) / size;
      let px = [0, 0, 0, 0];
      // Housing: a dark rounded rectangle in the middle third.
      if (u > 0.26 && u < 0.74 && v > 0.03 && v < 0.97) px = [0x26, 0x2b, 0x33, 255];
      lamps.forEach((c, i) => {
        const cy = 0.19 + i * 0.31;
        if ((u - 0.5) ** 2 + (v - cy) ** 2 < 0.125 ** 2) px = [...c, 255];
      });
      for (const [k, b] of px.entries()) row[1 + x * 4 + k] = b;
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const size of [16, 32, 48, 128]) writeFileSync(new URL(`../public/icon/${size}.png`, import.meta.url), icon(size));
