import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/engine/paths.js';

export const SAMPLES = join(PROJECT_ROOT, 'samples');
export const sample = (name: string) => join(SAMPLES, name);
export const readSample = (name: string) => readFileSync(sample(name));
export const SHARED = join(PROJECT_ROOT, '..', 'shared');

export function tempDir(prefix = 'fer-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A PNG whose header claims width×height but carries no real pixels (IHDR + IEND only). */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, data, Buffer.alloc(4)]);
  };
  return Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), chunk('IHDR', ihdr), chunk('IEND', Buffer.alloc(0))]);
}

/** A JPEG whose start-of-frame claims width×height, with a few bytes of scan data and an end marker. */
export function jpegHeaderOnly(width: number, height: number): Buffer {
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  const sos = Buffer.from([0xff, 0xda, 0x00, 0x0c, 0x03, 1, 0, 2, 0x11, 3, 0x11, 0x00, 0x3f, 0x00]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), sof, sos, Buffer.from([0x12, 0x34, 0xff, 0xd9])]);
}

/** Inserts an EXIF APP1 segment with the given orientation right after a JPEG's SOI marker. */
export function withExifOrientation(jpeg: Buffer, orientation: number): Buffer {
  const tiff = Buffer.alloc(26);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4); // IFD0 offset
  tiff.writeUInt16LE(1, 8); // one entry
  tiff.writeUInt16LE(0x0112, 10); // Orientation
  tiff.writeUInt16LE(3, 12); // SHORT
  tiff.writeUInt32LE(1, 14);
  tiff.writeUInt16LE(orientation, 18);
  tiff.writeUInt32LE(0, 22); // no next IFD
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]);
  return Buffer.concat([jpeg.subarray(0, 2), header, payload, jpeg.subarray(2)]);
}

/** The bad inputs every entry point must refuse, with the code each must get. */
export function badInputs(): { name: string; file: string; bytes: Buffer; code: string }[] {
  const jpeg = readSample('obama.jpg');
  return [
    { name: 'an empty file', file: 'empty.jpg', bytes: Buffer.alloc(0), code: 'EmptyInput' },
    { name: 'a truncated JPEG', file: 'truncated.jpg', bytes: jpeg.subarray(0, Math.floor(jpeg.length / 2)), code: 'InvalidImageFormat' },
    { name: 'a text file named .jpg', file: 'notes.jpg', bytes: Buffer.from('these are my holiday notes, not a photo\n'), code: 'UnsupportedMediaType' },
    { name: 'a GIF (unsupported format)', file: 'anim.gif', bytes: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), code: 'UnsupportedMediaType' },
    { name: 'a PNG claiming 30000×30000 pixels', file: 'huge.png', bytes: pngHeaderOnly(30000, 30000), code: 'ImageTooLarge' },
    { name: 'a JPEG claiming 30000×30000 pixels', file: 'huge.jpg', bytes: jpegHeaderOnly(30000, 30000), code: 'ImageTooLarge' },
    {
      name: 'a corrupt video',
      file: 'corrupt.mp4',
      bytes: Buffer.concat([readSample('clip.mp4').subarray(0, 32), Buffer.alloc(4096, 0x5a)]),
      code: 'InvalidVideoFormat',
    },
  ];
}
