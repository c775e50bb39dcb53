/** How results look on a terminal: one line per face, as the seed printed them. */
import { capitalize } from '../engine/labels.js';
import type { FaceResult, MediaResult } from '../engine/schema.js';

export function faceLine(prefix: string, face: FaceResult, n: number): string {
  const { x, y, width, height } = face.box;
  return `${prefix}: face ${n} at (${x},${y},${width},${height}): Detected Emotion: ${capitalize(face.dominantEmotion)} (${(face.confidence * 100).toFixed(1)}%)`;
}

export function humanLines(source: string, result: MediaResult): string[] {
  if (result.mediaType === 'image') {
    if (result.faces.length === 0) return [`${source}: no face detected`];
    return result.faces.map((face, i) => faceLine(source, face, i + 1));
  }
  const { summary } = result;
  const lines = result.frames.flatMap((frame) =>
    frame.faces.map((face, i) => faceLine(`${source} @ ${(frame.timestampMs / 1000).toFixed(2)}s (frame ${frame.index})`, face, i + 1)),
  );
  const dominant = summary.dominantEmotion
    ? `dominant emotion ${capitalize(summary.dominantEmotion)} (${(summary.emotionShare[summary.dominantEmotion] * 100).toFixed(1)}% of faces)`
    : 'no face detected';
  lines.push(
    `${source}: video ${(result.durationMs / 1000).toFixed(2)} s, ${summary.framesAnalyzed} frames at ${result.sampledFps} fps, faces in ${summary.framesWithFaces}; ${dominant}`,
  );
  return lines;
}

/** A one-line progress bar for terminals; a no-op elsewhere so logs stay clean. */
export function progressBar(stream: NodeJS.WriteStream, label: string): { update(done: number, total: number): void; end(): void } {
  if (!stream.isTTY) return { update: () => {}, end: () => {} };
  let drawn = false;
  return {
    update(done, total) {
      const width = 30;
      const filled = Math.round((Math.min(done, total) / Math.max(total, 1)) * width);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write('\n');
    },
  };
}
