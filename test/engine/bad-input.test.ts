import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeImage, analyzeVideo } from '../../lib/engine/engine.js';
import { FerError } from '../../lib/engine/errors.js';
import { analyzeFile } from '../../lib/engine/file.js';
import { readImageHeader, sniffMedia } from '../../lib/engine/media.js';
import { badInputs, readSample, tempDir } from '../helpers/fixtures.js';

describe('bad input gets a clear error code', () => {
  const dir = tempDir();

  it.each(badInputs())('$name → $code', async ({ file, bytes, code }) => {
    const path = join(dir, file);
    writeFileSync(path, bytes);

    const error = await analyzeFile(path).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FerError);
    expect((error as FerError).code).toBe(code);
    expect((error as FerError).statusCode).toBeLessThan(500);
    expect((error as FerError).message.length).toBeGreaterThan(10);
  });

  it('a missing path → NotFound', async () => {
    await expect(analyzeFile(join(dir, 'no-such-file.jpg'))).rejects.toMatchObject({ code: 'NotFound', statusCode: 404 });
  });

  it('a truncated video → InvalidVideoFormat', async () => {
    const clip = readSample('clip.mp4');
    await expect(analyzeVideo(clip.subarray(0, Math.floor(clip.length / 2)))).rejects.toMatchObject({ code: 'InvalidVideoFormat' });
  });

  it('video bytes given to the image entry point → InvalidImageFormat', async () => {
    await expect(analyzeImage(readSample('clip.mp4'))).rejects.toMatchObject({ code: 'InvalidImageFormat' });
  });

  it('a video longer than the cap → VideoTooLarge', async () => {
    await expect(analyzeVideo(readSample('clip.mp4'), { limits: { maxDurationMs: 1000 } })).rejects.toMatchObject({ code: 'VideoTooLarge' });
  });

  it('more sampled frames than the cap → VideoTooLarge', async () => {
    await expect(analyzeVideo(readSample('clip.mp4'), { fps: 10, limits: { maxFrames: 10 } })).rejects.toMatchObject({ code: 'VideoTooLarge' });
  });

  it('an fps out of range → InvalidParameter', async () => {
    await expect(analyzeVideo(readSample('clip.mp4'), { fps: 0 })).rejects.toMatchObject({ code: 'InvalidParameter' });
  });
});

describe('header parsing of untrusted bytes', () => {
  const anyBytes = fc.uint8Array({ minLength: 0, maxLength: 512 }).map((a) => Buffer.from(a));
  const prefixed = (prefix: number[]) => anyBytes.map((b) => Buffer.concat([Buffer.from(prefix), b]));

  it('throws nothing but FerErrors, whatever the bytes', () => {
    const inputs = fc.oneof(
      anyBytes,
      prefixed([0xff, 0xd8, 0xff]),
      prefixed([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      prefixed([...Buffer.from('RIFF\0\0\0\0WEBP')]),
      prefixed([0x42, 0x4d]),
    );
    fc.assert(
      fc.property(inputs, (bytes) => {
        try {
          const sniffed = sniffMedia(bytes);
          if (sniffed.kind === 'image') readImageHeader(bytes, sniffed.format);
        } catch (error) {
          if (!(error instanceof FerError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses every truncation of a real JPEG before decoding', async () => {
    const jpeg = readSample('justin.jpg');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: jpeg.length - 3 }), async (length) => {
        await expect(analyzeImage(jpeg.subarray(0, length))).rejects.toBeInstanceOf(FerError);
      }),
      { numRuns: 25 },
    );
  });
});
