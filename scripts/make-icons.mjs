#!/usr/bin/env node
/**
 * Renders Ferry's icon from assets/icon.svg (and assets/icon-small.svg, the same mark drawn for 16
 * and 32 px) into build/icons/: the PNG sizes Linux wants (NxN.png), icon.ico for Windows and
 * icon.icns for macOS. resvg (an npm package with its renderer inside; nothing to download at run
 * time) draws the PNGs; the .ico and .icns containers are written here, so no OS tool is needed.
 *
 *   node scripts/make-icons.mjs           write build/icons/
 *   node scripts/make-icons.mjs --check   exit 1 when build/icons/ is out of date with the SVGs
 */
import { readFile, writeFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const ICON_SVG = join(ROOT, 'assets/icon.svg');
export const SMALL_ICON_SVG = join(ROOT, 'assets/icon-small.svg');
export const ICONS_DIR = join(ROOT, 'build/icons');

/** PNG sizes written for Linux (and reused inside .ico and .icns). */
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
/** Sizes at or below this are drawn from the small-size variant. */
const SMALL_MAX = 32;
/** Windows shell sizes; 256 is stored as PNG, the rest as 32-bit BMP (what every reader takes). */
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** ICNS element types (all PNG payloads, macOS 10.7+) and their pixel sizes. */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32],
  ['ic12', 64],
  ['ic07', 128],
  ['ic13', 256],
  ['ic08', 256],
  ['ic14', 512],
  ['ic09', 512],
  ['ic10', 1024],
];

function render(svg, size) {
  const image = new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render();
  return { png: Buffer.from(image.asPng()), pixels: Buffer.from(image.pixels), size };
}

/**
 * A 32-bit BGRA DIB with its AND mask, as an .ico entry wants it (rows bottom-up). resvg's pixels
 * are premultiplied RGBA; a DIB wants straight alpha.
 */
function bmpEntry(pixels, size) {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // XOR bitmap + AND mask
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  header.writeUInt32LE(0, 16); // BI_RGB
  const xor = Buffer.alloc(size * size * 4);
  const maskStride = Math.ceil(size / 32) * 4;
  const mask = Buffer.alloc(maskStride * size);
  for (let y = 0; y < size; y++) {
    const row = size - 1 - y;
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4;
      const to = (row * size + x) * 4;
      const alpha = pixels[from + 3];
      const straight = (c) => (alpha === 0 ? 0 : Math.min(255, Math.round((c * 255) / alpha)));
      xor[to] = straight(pixels[from + 2]);
      xor[to + 1] = straight(pixels[from + 1]);
      xor[to + 2] = straight(pixels[from]);
      xor[to + 3] = alpha;
      if (alpha === 0) mask[row * maskStride + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return Buffer.concat([header, xor, mask]);
}

/** Writes an .ico: ICONDIR, one ICONDIRENTRY per image, then the images. */
export function buildIco(images) {
  const dir = Buffer.alloc(6 + 16 * images.length);
  dir.writeUInt16LE(0, 0);
  dir.writeUInt16LE(1, 2); // icon
  dir.writeUInt16LE(images.length, 4);
  const payloads = images.map((image) =>
    image.size >= 256 ? image.png : bmpEntry(image.pixels, image.size),
  );
  let offset = dir.length;
  images.forEach((image, i) => {
    const at = 6 + 16 * i;
    dir.writeUInt8(image.size >= 256 ? 0 : image.size, at);
    dir.writeUInt8(image.size >= 256 ? 0 : image.size, at + 1);
    dir.writeUInt8(0, at + 2);
    dir.writeUInt8(0, at + 3);
    dir.writeUInt16LE(1, at + 4);
    dir.writeUInt16LE(32, at + 6);
    dir.writeUInt32LE(payloads[i].length, at + 8);
    dir.writeUInt32LE(offset, at + 12);
    offset += payloads[i].length;
  });
  return Buffer.concat([dir, ...payloads]);
}

/** Writes an .icns: 'icns' + total length, then (type, length, PNG) elements. */
export function buildIcns(pngBySize) {
  const elements = ICNS_TYPES.map(([type, size]) => {
    const png = pngBySize.get(size);
    if (!png) throw new Error(`no ${size} px rendering for ${type}`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + elements.reduce((sum, e) => sum + e.length, 0), 4);
  return Buffer.concat([head, ...elements]);
}

/** Every file of build/icons/, by name, rendered from the SVGs in memory. */
export async function renderIcons() {
  const [big, small] = await Promise.all([readFile(ICON_SVG), readFile(SMALL_ICON_SVG)]);
  const images = new Map();
  for (const size of PNG_SIZES) images.set(size, render(size <= SMALL_MAX ? small : big, size));
  const files = new Map();
  for (const size of PNG_SIZES) files.set(`${size}x${size}.png`, images.get(size).png);
  files.set('icon.ico', buildIco(ICO_SIZES.map((size) => images.get(size))));
  files.set('icon.icns', buildIcns(new Map([...images].map(([size, image]) => [size, image.png]))));
  return files;
}

/** Names of files in build/icons/ that differ from a fresh rendering (missing, changed or extra). */
export async function staleIcons(dir = ICONS_DIR) {
  const fresh = await renderIcons();
  const present = new Set(await readdir(dir).catch(() => []));
  const stale = [];
  for (const [name, bytes] of fresh) {
    const current = present.has(name) ? await readFile(join(dir, name)) : undefined;
    if (!current || !current.equals(bytes)) stale.push(name);
  }
  for (const name of present) if (!fresh.has(name)) stale.push(name);
  return stale;
}

async function main() {
  if (process.argv.includes('--check')) {
    const stale = await staleIcons();
    if (stale.length > 0) {
      console.error(`build/icons is out of date (${stale.join(', ')}): run npm run icons`);
      process.exit(1);
    }
    console.log('build/icons is up to date');
    return;
  }
  const files = await renderIcons();
  await mkdir(ICONS_DIR, { recursive: true });
  for (const [name, bytes] of files) await writeFile(join(ICONS_DIR, name), bytes);
  console.log(`wrote ${files.size} files to build/icons/`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
