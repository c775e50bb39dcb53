/** `fer analyze <file|dir>... [--json] [--annotate <out-dir>] [--fps N] [--profile P]` */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { cv } from '../engine/opencv.js';
import { AnnotatedVideoWriter, drawFaces } from '../engine/annotate.js';
import { DEFAULT_PROFILE, isProfileName, PROFILES } from '../engine/classifier.js';
import { toFerError } from '../engine/errors.js';
import { analyzeFile } from '../engine/file.js';
import type { ProfileName } from '../engine/schema.js';
import { checkFps, DEFAULT_FPS } from '../engine/video.js';
import { parse, parseNumber, UsageError } from './args.js';
import { humanLines, progressBar } from './output.js';

const MEDIA_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.bmp', '.mp4', '.mov', '.m4v', '.webm', '.mkv', '.avi']);

export const ANALYZE_USAGE = `usage: fer analyze <file|dir>... [--json] [--annotate <out-dir>] [--fps N] [--profile ${Object.keys(PROFILES).join('|')}]`;

/** Files named on the command line, with directories expanded to the media files inside them (sorted). */
export function expandInputs(inputs: readonly string[]): string[] {
  return inputs.flatMap((input) => {
    let isDirectory = false;
    try {
      isDirectory = statSync(input).isDirectory();
    } catch {
      return [input]; // reported as NotFound by the engine, in order with the rest
    }
    if (!isDirectory) return [input];
    return readdirSync(input, { recursive: true, encoding: 'utf8' })
      .filter((name) => MEDIA_EXTENSIONS.has(extname(name).toLowerCase()))
      .sort()
      .map((name) => join(input, name));
  });
}

export function parseProfile(value: string | undefined): ProfileName {
  const profile = value ?? DEFAULT_PROFILE;
  if (!isProfileName(profile)) throw new UsageError(`--profile must be one of ${Object.keys(PROFILES).join(', ')}, not ${JSON.stringify(profile)}`);
  return profile;
}

function annotatedPath(outDir: string, source: string, extension: string): string {
  const stem = basename(source, extname(source));
  return join(outDir, `${stem}.annotated${extension}`);
}

export async function analyzeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    json: { type: 'boolean', default: false },
    annotate: { type: 'string' },
    fps: { type: 'string' },
    profile: { type: 'string' },
  });
  if (positionals.length === 0) throw new UsageError('fer analyze needs at least one file or directory');
  const profile = parseProfile(values.profile);
  const fps = parseNumber('fps', values.fps, DEFAULT_FPS);
  try {
    checkFps(fps);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.annotate) mkdirSync(values.annotate, { recursive: true });

  let failed = 0;
  for (const source of expandInputs(positionals)) {
    const bar = progressBar(process.stderr, basename(source));
    let writer: AnnotatedVideoWriter | undefined;
    try {
      const outDir = values.annotate;
      const result = await analyzeFile(source, {
        profile,
        fps,
        source,
        onProgress: (done, total) => bar.update(done, total),
        onImage: outDir ? (color, faces) => cv.imwrite(annotatedPath(outDir, source, '.jpg'), drawFaces(color, faces)) : undefined,
        onFrame: outDir
          ? (frame, faces, video) => {
              writer ??= new AnnotatedVideoWriter(annotatedPath(outDir, source, '.mp4'), video.sampledFps);
              writer.write(frame.color, faces);
            }
          : undefined,
      });
      bar.end();
      if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else process.stdout.write(`${humanLines(source, result).join('\n')}\n`);
    } catch (error) {
      bar.end();
      failed += 1;
      const { code, message } = toFerError(error);
      if (values.json) process.stdout.write(`${JSON.stringify({ source, error: { code, message } })}\n`);
      else process.stderr.write(`${source}: error ${code}: ${message}\n`);
    } finally {
      writer?.close();
    }
  }
  return failed > 0 ? 1 : 0;
}
