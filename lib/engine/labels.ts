/**
 * The seven FER2013 expression labels, in the output order of the oarriaga Mini-XCEPTION weights
 * (https://github.com/oarriaga/face_classification, `fer2013` dataset loader).
 */
export const EMOTIONS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'] as const;

export type Emotion = (typeof EMOTIONS)[number];

export type EmotionScores = Record<Emotion, number>;

export function isEmotion(value: string): value is Emotion {
  return (EMOTIONS as readonly string[]).includes(value);
}

/** Turns a probability vector in label order into a named record. */
export function toEmotionScores(probabilities: ArrayLike<number>): EmotionScores {
  if (probabilities.length !== EMOTIONS.length) {
    throw new RangeError(`expected ${EMOTIONS.length} probabilities, got ${probabilities.length}`);
  }
  const scores = {} as EmotionScores;
  EMOTIONS.forEach((label, i) => {
    scores[label] = probabilities[i];
  });
  return scores;
}

/** The label with the highest score; ties go to the earlier label. */
export function dominantOf(scores: EmotionScores): { emotion: Emotion; confidence: number } {
  let best: Emotion = EMOTIONS[0];
  for (const label of EMOTIONS) {
    if (scores[label] > scores[best]) best = label;
  }
  return { emotion: best, confidence: scores[best] };
}

export function capitalize(label: Emotion): string {
  return label[0].toUpperCase() + label.slice(1);
}
