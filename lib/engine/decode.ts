/**
 * Decoding: sniff, check the header (size cap, truncation) and only then hand the bytes to OpenCV.
 * EXIF orientation is applied here, so every later stage sees the image upright.
 */
import { cv, type Mat } from './opencv.js';
import { InvalidMediaError } from './errors.js';
import { checkImageSize, DEFAULT_IMAGE_LIMITS, readImageHeader, sniffMedia, type ImageFormat, type ImageLimits } from './media.js';

export interface DecodedImage {
  format: ImageFormat;
  /** BGR, upright */
  color: Mat;
  gray: Mat;
}

function orient(mat: Mat, orientation: number): Mat {
  switch (orientation) {
    case 2:
      return mat.flip(1);
    case 3:
      return mat.rotate(cv.ROTATE_180);
    case 4:
      return mat.flip(0);
    case 5:
      return mat.transpose();
    case 6:
      return mat.rotate(cv.ROTATE_90_CLOCKWISE);
    case 7:
      return mat.transpose().rotate(cv.ROTATE_180);
    case 8:
      return mat.rotate(cv.ROTATE_90_COUNTERCLOCKWISE);
    default:
      return mat;
  }
}

export async function decodeImage(bytes: Buffer, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): Promise<DecodedImage> {
  const sniffed = sniffMedia(bytes);
  if (sniffed.kind !== 'image') {
    throw new InvalidMediaError('InvalidImageFormat', `expected an image, got ${sniffed.format.toUpperCase()} video`);
  }
  const header = readImageHeader(bytes, sniffed.format);
  checkImageSize(header, limits);
  let decoded: Mat;
  try {
    // We apply EXIF orientation ourselves, so OpenCV must not (its behaviour differs between versions).
    decoded = await cv.imdecodeAsync(bytes, cv.IMREAD_COLOR | cv.IMREAD_IGNORE_ORIENTATION);
  } catch (error) {
    throw new InvalidMediaError('InvalidImageFormat', `corrupt ${sniffed.format.toUpperCase()}: OpenCV could not decode it`, { cause: error });
  }
  if (decoded.empty || decoded.cols !== header.width || decoded.rows !== header.height) {
    throw new InvalidMediaError('InvalidImageFormat', `corrupt ${sniffed.format.toUpperCase()}: OpenCV could not decode it`);
  }
  const color = orient(decoded, header.orientation);
  return { format: sniffed.format, color, gray: await color.bgrToGrayAsync() };
}
