/** The engine's public surface: what the CLI, the handlers, the local server and the benchmarks use. */
export { analyzeImage, analyzeVideo, getClassifier, type ImageOptions, type VideoOptions } from './engine.js';
export { analyzeFile, type FileOptions } from './file.js';
export { evaluate, type EvalReport } from './evaluate.js';
export { DEFAULT_PROFILE, MODEL_IDS, PROFILES, isProfileName, profileModelId } from './classifier.js';
export { initBackend } from './backend.js';
export { EMOTIONS, capitalize, type Emotion, type EmotionScores } from './labels.js';
export { sniffMedia, type SniffedMedia } from './media.js';
export { summarizeFrames } from './summary.js';
export { DEFAULT_FPS, DEFAULT_VIDEO_LIMITS, VideoSource, type SampledFrame, type VideoLimits } from './video.js';
export * from './errors.js';
export type * from './schema.js';
