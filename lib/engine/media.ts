/**
 * What a byte buffer is, read from its magic bytes and headers only — before any decoder sees it, so a
 * 30000×30000 header or a truncated file is refused without allocating or best-effort decoding.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { InvalidMediaError, MediaTooLargeError, NotFoundError } from './errors.js';

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'bmp';
export type VideoFormat = 'mp4' | 'webm' | 'avi';
export type SniffedMedia =
  | { kind: 'image'; format: ImageFormat; mimeType: string }
  | { kind: 'video'; format: VideoFormat; mimeType: string };

const IMAGE_MIME: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  bmp: 'image/bmp',
};
const VIDEO_MIME: Record<VideoFormat, string> = { mp4: 'video/mp4', webm: 'video/webm', avi: 'video/x-msvideo' };

const isHeif = (b: Buffer) =>
  b.subarray(4, 8).toString('latin1') === 'ftyp' && /^(heic|heix|mif1|avif|msf1)/.test(b.subarray(8, 12).toString('latin1'));

/** Formats we recognise but do not analyse, so the error can name them. */
const KNOWN_UNSUPPORTED: [string, (b: Buffer) => boolean][] = [
  ['GIF', (b) => b.subarray(0, 4).toString('latin1') === 'GIF8'],
  ['TIFF', (b) => ['II*\0', 'MM\0*'].includes(b.subarray(0, 4).toString('latin1'))],
  ['PDF', (b) => b.subarray(0, 5).toString('latin1') === '%PDF-'],
  ['ZIP', (b) => b.subarray(0, 4).toString('latin1') === 'PK\x03\x04'],
  ['HEIC/AVIF', isHeif],
];

/** The first bytes of a file, enough to sniff it; NotFound when it cannot be opened. */
export function readFileHead(path: string, length = 64): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new NotFoundError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, { cause: error });
  }
  try {
    const head = Buffer.alloc(length);
    return head.subarray(0, readSync(fd, head, 0, length, 0));
  } finally {
    closeSync(fd);
  }
}

export function sniffMedia(bytes: Buffer): SniffedMedia {
  if (bytes.length === 0) throw new InvalidMediaError('EmptyInput', 'the input is empty (0 bytes)');
  const ascii = (start: number, end: number) => bytes.subarray(start, end).toString('latin1');
  let image: ImageFormat | undefined;
  let video: VideoFormat | undefined;
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) image = 'jpeg';
  else if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') image = 'png';
  else if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') image = 'webp';
  else if (ascii(0, 2) === 'BM' && bytes.length >= 26) image = 'bmp';
  else if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'AVI ') video = 'avi';
  else if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x1a45dfa3) video = 'webm';
  else if (ascii(4, 8) === 'ftyp' && !isHeif(bytes)) video = 'mp4';
  if (image) return { kind: 'image', format: image, mimeType: IMAGE_MIME[image] };
  if (video) return { kind: 'video', format: video, mimeType: VIDEO_MIME[video] };
  const named = KNOWN_UNSUPPORTED.find(([, test]) => test(bytes));
  throw new InvalidMediaError(
    'UnsupportedMediaType',
    named
      ? `${named[0]} is not supported; send JPEG, PNG, WebP or BMP images, or MP4, WebM or AVI video`
      : 'unrecognised format (not JPEG, PNG, WebP, BMP, MP4, WebM or AVI)',
  );
}

export interface ImageHeader {
  width: number;
  height: number;
  /** EXIF orientation 1..8 (1 = as stored); only JPEG carries it here */
  orientation: number;
}

function corrupt(format: ImageFormat, detail: string): InvalidMediaError {
  return new InvalidMediaError('InvalidImageFormat', `corrupt ${format.toUpperCase()}: ${detail}`);
}

/** Reads size (and EXIF orientation) from the header and checks the file is complete. */
export function readImageHeader(bytes: Buffer, format: ImageFormat): ImageHeader {
  switch (format) {
    case 'jpeg':
      return readJpegHeader(bytes);
    case 'png':
      return readPngHeader(bytes);
    case 'webp':
      return readWebpHeader(bytes);
    case 'bmp':
      return readBmpHeader(bytes);
  }
}

function readPngHeader(bytes: Buffer): ImageHeader {
  if (bytes.length < 33 || bytes.subarray(12, 16).toString('latin1') !== 'IHDR') throw corrupt('png', 'no IHDR chunk');
  // A complete PNG ends with the IEND chunk (length 0, type IEND, CRC).
  if (bytes.length < 45 || bytes.subarray(bytes.length - 8, bytes.length - 4).toString('latin1') !== 'IEND') {
    throw corrupt('png', 'the file is truncated (no IEND chunk at the end)');
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), orientation: 1 };
}

function readWebpHeader(bytes: Buffer): ImageHeader {
  const declared = bytes.readUInt32LE(4) + 8;
  if (bytes.length < 30 || declared > bytes.length) throw corrupt('webp', 'the file is truncated');
  const chunk = bytes.subarray(12, 16).toString('latin1');
  if (chunk === 'VP8 ') {
    return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff, orientation: 1 };
  }
  if (chunk === 'VP8L') {
    const bits = bytes.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1, orientation: 1 };
  }
  if (chunk === 'VP8X') {
    return { width: bytes.readUIntLE(24, 3) + 1, height: bytes.readUIntLE(27, 3) + 1, orientation: 1 };
  }
  throw corrupt('webp', `unknown chunk ${JSON.stringify(chunk)}`);
}

function readBmpHeader(bytes: Buffer): ImageHeader {
  const declared = bytes.readUInt32LE(2);
  if (declared > bytes.length) throw corrupt('bmp', 'the file is truncated');
  return { width: Math.abs(bytes.readInt32LE(18)), height: Math.abs(bytes.readInt32LE(22)), orientation: 1 };
}

/** Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not SOFs. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function readJpegHeader(bytes: Buffer): ImageHeader {
  let offset = 2;
  let size: { width: number; height: number } | undefined;
  let orientation = 1;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) throw corrupt('jpeg', `bad marker at byte ${offset}`);
    const marker = bytes[offset + 1];
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    const length = bytes.readUInt16BE(offset + 2);
    if (length < 2 || offset + 2 + length > bytes.length) throw corrupt('jpeg', 'the file is truncated');
    const segment = bytes.subarray(offset + 4, offset + 2 + length);
    if (isStartOfFrame(marker) && segment.length >= 5) {
      size = { height: segment.readUInt16BE(1), width: segment.readUInt16BE(3) };
    } else if (marker === 0xe1 && segment.subarray(0, 6).toString('latin1') === 'Exif\0\0') {
      orientation = exifOrientation(segment.subarray(6));
    } else if (marker === 0xda) {
      // Start of scan: entropy-coded data follows, in which 0xFF is always stuffed, so an end-of-image marker
      // after this point exists only in a complete file.
      if (!size) throw corrupt('jpeg', 'no frame header before the image data');
      if (bytes.indexOf(Buffer.from([0xff, 0xd9]), offset + 2 + length) < 0) {
        throw corrupt('jpeg', 'the file is truncated (no end-of-image marker)');
      }
      return { ...size, orientation };
    }
    offset += 2 + length;
  }
  throw corrupt('jpeg', 'the file is truncated (no image data)');
}

/** Orientation tag (0x0112) of IFD0 in a TIFF-structured EXIF block; 1 when absent or malformed. */
export function exifOrientation(tiff: Buffer): number {
  if (tiff.length < 8) return 1;
  const order = tiff.subarray(0, 2).toString('latin1');
  if (order !== 'II' && order !== 'MM') return 1;
  const le = order === 'II';
  const u16 = (at: number) => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return 1;
  const entries = u16(ifd);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return 1;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

export interface ImageLimits {
  /** Largest number of pixels we agree to decode. */
  maxPixels: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxPixels: 50_000_000 };

export function checkImageSize(header: ImageHeader, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): void {
  if (header.width === 0 || header.height === 0) {
    throw new InvalidMediaError('InvalidImageFormat', `the header declares an empty image (${header.width}×${header.height})`);
  }
  const pixels = header.width * header.height;
  if (pixels > limits.maxPixels) {
    throw new MediaTooLargeError(
      'ImageTooLarge',
      `image is ${header.width}×${header.height} (${(pixels / 1e6).toFixed(1)} MP); the limit is ${(limits.maxPixels / 1e6).toFixed(0)} MP`,
    );
  }
}
