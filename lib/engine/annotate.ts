/** Draws boxes and labels on images and video frames (for `fer analyze --annotate`). */
import { cv, type Mat, type VideoWriter } from './opencv.js';
import { capitalize, type Emotion } from './labels.js';
import type { FaceResult } from './schema.js';

/** One colour per emotion (BGR), as in the seed's video demo where the box colour follows the emotion. */
const COLORS: Record<Emotion, [number, number, number]> = {
  angry: [0, 0, 255],
  disgust: [0, 128, 0],
  fear: [128, 0, 128],
  happy: [0, 255, 255],
  sad: [255, 0, 0],
  surprise: [255, 255, 0],
  neutral: [200, 200, 200],
};

export function drawFaces(image: Mat, faces: readonly FaceResult[]): Mat {
  const out = image.copy();
  const thickness = Math.max(2, Math.round(Math.max(image.cols, image.rows) / 400));
  const fontScale = Math.max(0.5, Math.max(image.cols, image.rows) / 1200);
  faces.forEach((face, i) => {
    const [b, g, r] = COLORS[face.dominantEmotion];
    const color = new cv.Vec3(b, g, r);
    const { x, y, width, height } = face.box;
    out.drawRectangle(new cv.Point2(x, y), new cv.Point2(x + width, y + height), color, thickness);
    const text = `${i + 1}: ${capitalize(face.dominantEmotion)} ${(face.confidence * 100).toFixed(0)}%`;
    const baseline = y > 30 * fontScale ? y - 8 : Math.min(image.rows - 4, y + height + Math.round(24 * fontScale));
    out.putText(text, new cv.Point2(x, baseline), cv.FONT_HERSHEY_SIMPLEX, fontScale, new cv.Vec3(0, 0, 0), thickness + 2);
    out.putText(text, new cv.Point2(x, baseline), cv.FONT_HERSHEY_SIMPLEX, fontScale, color, thickness);
  });
  return out;
}

/** Writes annotated frames into an MP4 (mp4v) at the sampled frame rate. */
export class AnnotatedVideoWriter {
  private writer: VideoWriter | undefined;

  constructor(
    private readonly path: string,
    private readonly fps: number,
  ) {}

  write(frame: Mat, faces: readonly FaceResult[]): void {
    this.writer ??= new cv.VideoWriter(this.path, cv.VideoWriter.fourcc('mp4v'), this.fps, new cv.Size(frame.cols, frame.rows));
    this.writer.write(drawFaces(frame, faces));
  }

  close(): void {
    this.writer?.release();
  }
}
