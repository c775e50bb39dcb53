/**
 * Haar cascade face detection (OpenCV's `haarcascade_frontalface_default.xml`), run on a downscaled copy of
 * large images with the boxes mapped back to original pixels.
 */
import { join } from 'node:path';
import { cv, type CascadeClassifier, type Mat } from './opencv.js';
import { modelDir } from './paths.js';
import type { Box } from './schema.js';

export interface DetectionOptions {
  /** Images whose longer side exceeds this are detected on a copy scaled down to it (0 = never). */
  maxDetectDimension: number;
  scaleFactor: number;
  minNeighbors: number;
  /** Smallest face, as a fraction of the shorter side of the detected image (floored at 20 px). */
  minFaceRatio: number;
}

/** Chosen by measuring face counts and time on ../shared/media: see the README's "Detection size". */
export const DEFAULT_DETECTION: DetectionOptions = {
  maxDetectDimension: 640,
  scaleFactor: 1.1,
  minNeighbors: 6,
  minFaceRatio: 0.04,
};

export const CASCADE_FILE = 'haarcascade_frontalface_default.xml';

let cascade: CascadeClassifier | undefined;

/** The cascade, loaded once per process. */
export function faceCascade(): CascadeClassifier {
  cascade ??= new cv.CascadeClassifier(join(modelDir(), 'haarcascades', CASCADE_FILE));
  return cascade;
}

/** Faces in a grayscale image, as pixel boxes of that image, sorted by area (largest first). */
export async function detectFaces(gray: Mat, options: DetectionOptions = DEFAULT_DETECTION): Promise<Box[]> {
  const longSide = Math.max(gray.cols, gray.rows);
  const scale = options.maxDetectDimension > 0 && longSide > options.maxDetectDimension ? options.maxDetectDimension / longSide : 1;
  const small = scale < 1 ? await gray.resizeAsync(Math.round(gray.rows * scale), Math.round(gray.cols * scale), 0, 0, cv.INTER_AREA) : gray;
  const minSide = Math.max(20, Math.round(Math.min(small.cols, small.rows) * options.minFaceRatio));
  const { objects } = await faceCascade().detectMultiScaleAsync(
    small,
    options.scaleFactor,
    options.minNeighbors,
    0,
    new cv.Size(minSide, minSide),
  );
  if (small !== gray) small.release();
  return objects
    .map((rect) => clampBox({ x: rect.x / scale, y: rect.y / scale, width: rect.width / scale, height: rect.height / scale }, gray.cols, gray.rows))
    .sort((a, b) => b.width * b.height - a.width * a.height);
}

/** Rounds a box to whole pixels inside a width×height image. */
export function clampBox(box: Box, width: number, height: number): Box {
  const x = Math.max(0, Math.min(width - 1, Math.round(box.x)));
  const y = Math.max(0, Math.min(height - 1, Math.round(box.y)));
  return {
    x,
    y,
    width: Math.max(1, Math.min(width - x, Math.round(box.width))),
    height: Math.max(1, Math.min(height - y, Math.round(box.height))),
  };
}

export function boxRatio(box: Box, width: number, height: number): Box {
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return { x: round(box.x / width), y: round(box.y / height), width: round(box.width / width), height: round(box.height / height) };
}

/**
 * The face crop given to the classifier: the Haar box widened by 10 % a side, so that it frames the face as
 * FER2013 does. Measured: on 350 FER2013 validation faces (upscaled), this cascade's box is centred and covers
 * a median 85 % of the crop's width, i.e. the crop is the box plus ~9 % a side.
 */
export const CROP_MARGIN = { x: 0.1, y: 0.1 } as const;

export function cropFace(gray: Mat, box: Box, size: number): Uint8Array {
  const margin = { x: box.width * CROP_MARGIN.x, y: box.height * CROP_MARGIN.y };
  const crop = clampBox(
    { x: box.x - margin.x, y: box.y - margin.y, width: box.width + 2 * margin.x, height: box.height + 2 * margin.y },
    gray.cols,
    gray.rows,
  );
  const region = gray.getRegion(new cv.Rect(crop.x, crop.y, crop.width, crop.height));
  const shrinking = crop.width > size;
  const resized = region.resize(size, size, 0, 0, shrinking ? cv.INTER_AREA : cv.INTER_LINEAR);
  return new Uint8Array(resized.getData());
}
