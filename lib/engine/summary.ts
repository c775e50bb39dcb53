import { EMOTIONS, dominantOf, type Emotion, type EmotionScores } from './labels.js';
import type { FrameResult, VideoSummary } from './schema.js';

/** Frames, centred on each frame, whose mode the smoothed timeline takes (the seed's demo keeps the last 10). */
export const SMOOTHING_WINDOW = 5;

function zeroScores(): EmotionScores {
  return Object.fromEntries(EMOTIONS.map((label) => [label, 0])) as EmotionScores;
}

function mode(labels: Emotion[]): Emotion | null {
  if (labels.length === 0) return null;
  const counts = new Map<Emotion, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  // Ties go to the earlier label of EMOTIONS, so the timeline is deterministic.
  let best = labels[0];
  for (const label of EMOTIONS) if ((counts.get(label) ?? 0) > (counts.get(best) ?? 0)) best = label;
  return best;
}

/**
 * Summarises a video's frames (in any order; they are sorted by index): dominant emotion, share of each
 * emotion over all faces, mean probabilities, and a timeline smoothed as the seed's video demo does —
 * the mode of the main (largest) face's emotion over a window of neighbouring frames.
 */
export function summarizeFrames(frames: readonly FrameResult[], window: number = SMOOTHING_WINDOW): VideoSummary {
  const ordered = [...frames].sort((a, b) => a.index - b.index);
  const counts = zeroScores();
  const sums = zeroScores();
  let faces = 0;
  for (const frame of ordered) {
    for (const face of frame.faces) {
      faces += 1;
      counts[face.dominantEmotion] += 1;
      for (const label of EMOTIONS) sums[label] += face.emotions[label];
    }
  }
  const emotionShare = zeroScores();
  const meanEmotions = zeroScores();
  for (const label of EMOTIONS) {
    emotionShare[label] = faces ? counts[label] / faces : 0;
    meanEmotions[label] = faces ? sums[label] / faces : 0;
  }
  const main = ordered.map((frame) => frame.faces[0]?.dominantEmotion ?? null);
  const half = Math.floor(window / 2);
  const smoothedEmotions = main.map((label, i) =>
    label === null ? null : mode(main.slice(Math.max(0, i - half), i + half + 1).filter((l): l is Emotion => l !== null)),
  );
  return {
    framesAnalyzed: ordered.length,
    framesWithFaces: ordered.filter((frame) => frame.faces.length > 0).length,
    facesDetected: faces,
    dominantEmotion: faces ? dominantOf(counts).emotion : null,
    emotionShare,
    meanEmotions,
    smoothingWindow: window,
    smoothedEmotions,
  };
}
