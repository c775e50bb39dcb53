import { FerError } from '../engine/errors.js';
import type { ObjectRef } from './object-events.js';

/**
 * Runs `work` on every object of an event, all of them even if some fail, then fails with one error naming
 * the failed objects — so a retry (or the on-failure destination) covers exactly what did not succeed.
 */
export async function forEachObject(refs: readonly ObjectRef[], work: (ref: ObjectRef) => Promise<void>): Promise<{ processed: number }> {
  const failures: { ref: ObjectRef; error: unknown }[] = [];
  for (const ref of refs) {
    try {
      await work(ref);
    } catch (error) {
      failures.push({ ref, error });
    }
  }
  if (failures.length === 1) throw failures[0].error;
  if (failures.length > 1) {
    const list = failures.map(({ ref, error }) => `s3://${ref.bucket}/${ref.key}: ${error instanceof Error ? error.message : String(error)}`);
    throw new FerError('InternalError', `${failures.length} of ${refs.length} objects failed: ${list.join('; ')}`, 500, { cause: failures[0].error });
  }
  return { processed: refs.length };
}
