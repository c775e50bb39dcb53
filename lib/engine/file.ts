/** Analyses a file on disk, image or video, told apart by its magic bytes (never by its name). */
import { readFile, stat } from 'node:fs/promises';
import { analyzeImage, analyzeVideo, type ImageOptions, type VideoOptions } from './engine.js';
import { InvalidMediaError, MediaTooLargeError, NotFoundError } from './errors.js';
import { readFileHead, sniffMedia } from './media.js';
import type { MediaResult } from './schema.js';

export type FileOptions = ImageOptions & VideoOptions & {
  /** Largest image file read into memory (videos are streamed by the decoder). */
  maxImageBytes?: number;
};

export const DEFAULT_MAX_IMAGE_BYTES = 50 * 1024 * 1024;

export async function analyzeFile(path: string, options: FileOptions = {}): Promise<MediaResult> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new NotFoundError(`no such file: ${path}`, { cause: error });
  });
  if (!info.isFile()) throw new NotFoundError(`not a file: ${path}`);
  if (info.size === 0) throw new InvalidMediaError('EmptyInput', 'the file is empty (0 bytes)');
  const sniffed = sniffMedia(readFileHead(path));
  const source = options.source ?? path;
  if (sniffed.kind === 'video') return analyzeVideo(path, { ...options, source });
  const maxBytes = options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  if (info.size > maxBytes) {
    throw new MediaTooLargeError('ImageTooLarge', `image file is ${(info.size / 2 ** 20).toFixed(1)} MiB; the limit is ${maxBytes / 2 ** 20} MiB`);
  }
  return analyzeImage(await readFile(path), { ...options, source });
}
