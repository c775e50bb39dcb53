/**
 * Video sampling with OpenCV's VideoCapture (FFmpeg underneath): frames are read in order and one is kept
 * whenever the clock passes the next sample time, so `--fps 5` on a 30 fps clip keeps every 6th frame and
 * each kept frame carries its true timestamp.
 */
import { statSync } from 'node:fs';
import { cv, type Mat, type VideoCapture } from './opencv.js';
import { InvalidMediaError, InvalidParameterError, MediaTooLargeError } from './errors.js';
import { readFileHead, sniffMedia } from './media.js';

export interface VideoLimits {
  maxDurationMs: number;
  maxFrames: number;
  maxPixels: number;
}

export const DEFAULT_VIDEO_LIMITS: VideoLimits = { maxDurationMs: 10 * 60_000, maxFrames: 1800, maxPixels: 8_300_000 };
export const DEFAULT_FPS = 5;

export interface VideoInfo {
  width: number;
  height: number;
  durationMs: number;
  sourceFps: number;
  sourceFrames: number;
  /** The rate frames are sampled at: the requested rate, or the source rate if that is lower. */
  sampledFps: number;
  /** How many frames sampling will yield (from the header; a damaged tail may yield fewer). */
  expectedFrames: number;
}

export interface SampledFrame {
  index: number;
  timestampMs: number;
  color: Mat;
}

export function checkFps(fps: number): void {
  if (!Number.isFinite(fps) || fps <= 0 || fps > 60) {
    throw new InvalidParameterError(`fps must be a number above 0 and at most 60, not ${fps}`);
  }
}

export class VideoSource {
  private constructor(
    readonly path: string,
    readonly info: VideoInfo,
    private readonly capture: VideoCapture,
  ) {}

  /** Opens and checks a video file: format by magic bytes, then the caps, before any frame is decoded. */
  static open(path: string, fps: number = DEFAULT_FPS, limits: VideoLimits = DEFAULT_VIDEO_LIMITS): VideoSource {
    checkFps(fps);
    const sniffed = sniffMedia(readFileHead(path));
    if (sniffed.kind !== 'video') {
      throw new InvalidMediaError('InvalidVideoFormat', `expected a video, got a ${sniffed.format.toUpperCase()} image`);
    }
    if (statSync(path).size < 1024) throw new InvalidMediaError('InvalidVideoFormat', 'corrupt video: the file is too short');
    let capture: VideoCapture;
    try {
      capture = new cv.VideoCapture(path);
    } catch (error) {
      throw new InvalidMediaError('InvalidVideoFormat', 'corrupt video: it cannot be opened', { cause: error });
    }
    const sourceFps = capture.get(cv.CAP_PROP_FPS);
    const sourceFrames = Math.round(capture.get(cv.CAP_PROP_FRAME_COUNT));
    const width = capture.get(cv.CAP_PROP_FRAME_WIDTH);
    const height = capture.get(cv.CAP_PROP_FRAME_HEIGHT);
    if (!(sourceFps > 0 && sourceFps < 1000) || !(sourceFrames > 0) || !(width > 0) || !(height > 0)) {
      capture.release();
      throw new InvalidMediaError('InvalidVideoFormat', 'corrupt video: no readable video stream');
    }
    const durationMs = Math.round((sourceFrames / sourceFps) * 1000);
    const sampledFps = Math.min(fps, sourceFps);
    const expectedFrames = Math.max(1, Math.ceil((durationMs / 1000) * sampledFps - 1e-9));
    const info: VideoInfo = { width, height, durationMs, sourceFps, sourceFrames, sampledFps, expectedFrames };
    const tooLarge = (message: string) => {
      capture.release();
      return new MediaTooLargeError('VideoTooLarge', message);
    };
    if (durationMs > limits.maxDurationMs) {
      throw tooLarge(`video is ${(durationMs / 1000).toFixed(1)} s long; the limit is ${limits.maxDurationMs / 1000} s`);
    }
    if (expectedFrames > limits.maxFrames) {
      throw tooLarge(`sampling at ${sampledFps} fps gives ${expectedFrames} frames; the limit is ${limits.maxFrames} (lower --fps)`);
    }
    if (width * height > limits.maxPixels) throw tooLarge(`video frames are ${width}×${height}; the limit is ${limits.maxPixels} pixels`);
    return new VideoSource(path, info, capture);
  }

  /** Yields the sampled frames in order; releases the capture when done or abandoned. */
  async *frames(): AsyncGenerator<SampledFrame> {
    const step = 1000 / this.info.sampledFps;
    let next = 0;
    let index = 0;
    try {
      for (let frameNo = 0; index < this.info.expectedFrames; frameNo++) {
        const frame = await this.capture.readAsync();
        if (frame.empty) break;
        const timestampMs = (frameNo * 1000) / this.info.sourceFps;
        if (timestampMs + 1e-6 < next) continue;
        yield { index, timestampMs: Math.round(timestampMs), color: frame };
        index += 1;
        next += step;
      }
    } finally {
      this.capture.release();
    }
    if (index === 0) throw new InvalidMediaError('InvalidVideoFormat', 'corrupt video: no frame could be decoded');
  }

}
