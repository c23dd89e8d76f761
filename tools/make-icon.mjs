// Draws media/icon.png (128×128): a speedometer on a slate tile, the extension's marketplace icon.
// Pure Node (zlib), 4× supersampled. Run: node tools/make-icon.mjs
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4;
const TILE = [30, 41, 59];
const lerp = (a, b, t) => a + (b - a) * t;
const mix = (c1, c2, t) => c1.map((v, i) => lerp(v, c2[i], t));

/** Arc colour from green (slow side) through amber to red. */
function arcColour(t) {
  return t < 0.5 ? mix([34, 197, 94], [245, 158, 11], t / 0.5) : mix([245, 158, 11], [239, 68, 68], (t - 0.5) / 0.5);
}

/** Colour (RGBA 0–255) of a point in 0..128 coordinates. */
function shade(x, y) {
  const r = 22;
  const dx = Math.max(r - x, 0, x - (SIZE - r));
  const dy = Math.max(r - y, 0, y - (SIZE - r));
  if (dx * dx + dy * dy > r * r) return [0, 0, 0, 0];
  const cx = 64;
  const cy = 74;
  const px = x - cx;
  const py = cy - y;
  const dist = Math.hypot(px, py);
  const angle = Math.atan2(py, px); // 0 = right, π/2 = up
  // Gauge arc from 210° to -30° (through the top).
  const start = (210 * Math.PI) / 180;
  const sweep = (240 * Math.PI) / 180;
  let fromStart = start - angle;
  if (fromStart < 0) fromStart += 2 * Math.PI;
  if (dist > 38 && dist < 50 && fromStart <= sweep) return [...arcColour(fromStart / sweep), 255];
  // Needle towards 45°, a thin triangle from the hub.
  const needle = (40 * Math.PI) / 180;
  const ux = Math.cos(needle);
  const uy = Math.sin(needle);
  const along = px * ux + py * uy;
  const across = Math.abs(-px * uy + py * ux);
  if (along > -4 && along < 42 && across < 4.5 * (1 - along / 46)) return [248, 250, 252, 255];
  if (dist < 8) return [248, 250, 252, 255];
  return [...TILE, 255];
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  raw[y * (SIZE * 4 + 1)] = 0;
  for (let x = 0; x < SIZE; x++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const c = shade(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES);
        acc[0] += c[0] * c[3];
        acc[1] += c[1] * c[3];
        acc[2] += c[2] * c[3];
        acc[3] += c[3];
      }
    }
    const offset = y * (SIZE * 4 + 1) + 1 + x * 4;
    const alpha = acc[3] / (SAMPLES * SAMPLES);
    for (let i = 0; i < 3; i++) raw[offset + i] = acc[3] > 0 ? Math.round(acc[i] / acc[3]) : 0;
    raw[offset + 3] = Math.round(alpha);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = new URL('../media/icon.png', import.meta.url);
fs.writeFileSync(out, png);
console.log(`wrote ${out.pathname} (${png.length} bytes)`);
