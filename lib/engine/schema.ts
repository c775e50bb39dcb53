import type { Emotion, EmotionScores } from './labels.js';

/**
 * The one result schema: the CLI's `--json`, the API response and the DynamoDB item all carry it.
 * Boxes are in pixels of the (orientation-corrected) image and as ratios of its size, like
 * Rekognition's `BoundingBox` and face-api's `relativeBox`.
 */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FaceResult {
  box: Box;
  boxRatio: Box;
  emotions: EmotionScores;
  dominantEmotion: Emotion;
  confidence: number;
}

export type ProfileName = 'reference' | 'fast' | 'accurate';

export interface ModelInfo {
  id: string;
  profile: ProfileName;
}

export interface ImageTimings {
  decode: number;
  detect: number;
  classify: number;
  total: number;
}

export interface ImageResult {
  source: string;
  mediaType: 'image';
  width: number;
  height: number;
  faces: FaceResult[];
  model: ModelInfo;
  timingsMs: ImageTimings;
}

export interface FrameResult {
  index: number;
  timestampMs: number;
  faces: FaceResult[];
}

export interface VideoSummary {
  framesAnalyzed: number;
  framesWithFaces: number;
  facesDetected: number;
  /** The most frequent dominant emotion over all faces of all frames; null when no face was seen. */
  dominantEmotion: Emotion | null;
  /** Share of faces (over the whole video) whose dominant emotion is each label; sums to 1 when any face. */
  emotionShare: EmotionScores;
  /** Mean probability of each label over all faces. */
  meanEmotions: EmotionScores;
  /** Number of neighbouring frames (centred) the smoothed timeline takes the mode over. */
  smoothingWindow: number;
  /** Per sampled frame (by index), the mode of the main face's emotion over the window; null without faces. */
  smoothedEmotions: (Emotion | null)[];
}

export interface VideoResult {
  source: string;
  mediaType: 'video';
  width: number;
  height: number;
  durationMs: number;
  sampledFps: number;
  frames: FrameResult[];
  summary: VideoSummary;
  model: ModelInfo;
  timingsMs: { decode: number; detect: number; classify: number; total: number };
}

export type MediaResult = ImageResult | VideoResult;

export interface ErrorResult {
  source: string;
  error: { code: string; message: string };
}
