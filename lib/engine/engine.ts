/**
 * The engine: decode → Haar detection → crop/grayscale/resize → Mini-XCEPTION → one typed result.
 * Cloud-free: the CLI, the Lambda handlers, the local server and the benchmarks all call this module.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mat } from './opencv.js';
import { DEFAULT_PROFILE, ExpressionClassifier } from './classifier.js';
import { decodeImage } from './decode.js';
import { boxRatio, cropFace, DEFAULT_DETECTION, detectFaces, faceCascade, type DetectionOptions } from './detector.js';
import { dominantOf, toEmotionScores } from './labels.js';
import { DEFAULT_IMAGE_LIMITS, type ImageLimits } from './media.js';
import type { Box, FaceResult, FrameResult, ImageResult, ProfileName, VideoResult } from './schema.js';
import { summarizeFrames } from './summary.js';
import { DEFAULT_FPS, DEFAULT_VIDEO_LIMITS, VideoSource, type SampledFrame, type VideoInfo, type VideoLimits } from './video.js';

export interface ImageOptions {
  profile?: ProfileName;
  /** Name written in the result's `source`. */
  source?: string;
  detection?: Partial<DetectionOptions>;
  limits?: Partial<ImageLimits>;
  /** Receives the decoded upright image and its faces, e.g. to draw them. */
  onImage?: (color: Mat, faces: FaceResult[]) => void | Promise<void>;
}

export interface VideoOptions {
  profile?: ProfileName;
  source?: string;
  fps?: number;
  detection?: Partial<DetectionOptions>;
  limits?: Partial<VideoLimits>;
  /** Called after each batch of frames with (frames done, frames expected). */
  onProgress?: (done: number, total: number) => void;
  /** Receives each sampled frame and its faces, in order, and the video's facts (e.g. to write an annotated video). */
  onFrame?: (frame: SampledFrame, faces: FaceResult[], video: VideoInfo) => void | Promise<void>;
}

/** Frames classified together: one batch per this many sampled frames. */
const FRAME_BATCH = 16;

const elapsed = (start: number) => Math.round((performance.now() - start) * 100) / 100;

const classifiers = new Map<ProfileName, Promise<ExpressionClassifier>>();

/** The classifier of a profile, loaded once per process; the cascade is loaded with it. */
export function getClassifier(profile: ProfileName = DEFAULT_PROFILE): Promise<ExpressionClassifier> {
  let classifier = classifiers.get(profile);
  if (!classifier) {
    faceCascade();
    classifier = ExpressionClassifier.forProfile(profile);
    classifier.catch(() => classifiers.delete(profile));
    classifiers.set(profile, classifier);
  }
  return classifier;
}

interface PendingFace {
  box: Box;
  pixels: Uint8Array;
}

function toFaceResults(pending: readonly PendingFace[], probabilities: readonly Float32Array[], width: number, height: number): FaceResult[] {
  return pending.map((face, i) => {
    const emotions = toEmotionScores(Array.from(probabilities[i], (p) => Math.round(p * 1e6) / 1e6));
    const { emotion, confidence } = dominantOf(emotions);
    return { box: face.box, boxRatio: boxRatio(face.box, width, height), emotions, dominantEmotion: emotion, confidence };
  });
}

export async function analyzeImage(bytes: Buffer, options: ImageOptions = {}): Promise<ImageResult> {
  const profile = options.profile ?? DEFAULT_PROFILE;
  const classifier = await getClassifier(profile);
  const start = performance.now();
  const image = await decodeImage(bytes, { ...DEFAULT_IMAGE_LIMITS, ...options.limits });
  const decode = elapsed(start);

  const detectStart = performance.now();
  const boxes = await detectFaces(image.gray, { ...DEFAULT_DETECTION, ...options.detection });
  const detect = elapsed(detectStart);

  const classifyStart = performance.now();
  const pending = boxes.map((box) => ({ box, pixels: cropFace(image.gray, box, classifier.inputSize) }));
  const probabilities = await classifier.classify(pending.map((face) => face.pixels));
  const { cols: width, rows: height } = image.color;
  const faces = toFaceResults(pending, probabilities, width, height);
  const classify = elapsed(classifyStart);

  try {
    await options.onImage?.(image.color, faces);
  } finally {
    // Freed now rather than at the next GC: V8 is not told about Mat memory (see opencv.ts).
    image.color.release();
    image.gray.release();
  }
  return {
    source: options.source ?? 'buffer',
    mediaType: 'image',
    width,
    height,
    faces,
    model: { id: classifier.modelId, profile },
    timingsMs: { decode, detect, classify, total: elapsed(start) },
  };
}

/** Analyses a video file, or video bytes (written to a temporary file for the decoder). */
export async function analyzeVideo(input: string | Buffer, options: VideoOptions = {}): Promise<VideoResult> {
  if (typeof input === 'string') return analyzeVideoFile(input, options);
  const dir = await mkdtemp(join(tmpdir(), 'fer-video-'));
  try {
    const path = join(dir, 'input');
    await writeFile(path, input);
    return await analyzeVideoFile(path, { source: 'buffer', ...options });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function analyzeVideoFile(path: string, options: VideoOptions): Promise<VideoResult> {
  const profile = options.profile ?? DEFAULT_PROFILE;
  const classifier = await getClassifier(profile);
  const detection = { ...DEFAULT_DETECTION, ...options.detection };
  const start = performance.now();
  const video = VideoSource.open(path, options.fps ?? DEFAULT_FPS, { ...DEFAULT_VIDEO_LIMITS, ...options.limits });
  const { width, height } = video.info;
  const timings = { decode: elapsed(start), detect: 0, classify: 0, total: 0 };
  const frames: FrameResult[] = [];
  let batch: { frame: SampledFrame; faces: PendingFace[] }[] = [];

  const flush = async () => {
    const classifyStart = performance.now();
    const pending = batch.flatMap((entry) => entry.faces);
    const probabilities = await classifier.classify(pending.map((face) => face.pixels));
    let offset = 0;
    const classified = batch.map((entry) => {
      const faces = toFaceResults(entry.faces, probabilities.slice(offset, offset + entry.faces.length), width, height);
      offset += entry.faces.length;
      return { entry, faces };
    });
    timings.classify += elapsed(classifyStart);
    for (const { entry, faces } of classified) {
      frames.push({ index: entry.frame.index, timestampMs: entry.frame.timestampMs, faces });
      await options.onFrame?.(entry.frame, faces, video.info);
      entry.frame.color.release();
    }
    batch = [];
    options.onProgress?.(frames.length, video.info.expectedFrames);
  };

  let decodeStart = performance.now();
  for await (const frame of video.frames()) {
    timings.decode += elapsed(decodeStart);
    const detectStart = performance.now();
    const gray = await frame.color.bgrToGrayAsync();
    const boxes = await detectFaces(gray, detection);
    batch.push({ frame, faces: boxes.map((box) => ({ box, pixels: cropFace(gray, box, classifier.inputSize) })) });
    gray.release();
    timings.detect += elapsed(detectStart);
    if (batch.length >= FRAME_BATCH) await flush();
    decodeStart = performance.now();
  }
  if (batch.length > 0) await flush();
  timings.total = elapsed(start);
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    source: options.source ?? path,
    mediaType: 'video',
    width,
    height,
    durationMs: video.info.durationMs,
    sampledFps: video.info.sampledFps,
    frames,
    summary: summarizeFrames(frames),
    model: { id: classifier.modelId, profile },
    timingsMs: { decode: round(timings.decode), detect: round(timings.detect), classify: round(timings.classify), total: timings.total },
  };
}
