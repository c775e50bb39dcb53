/**
 * Picks the TF.js backend once per process: the native `@tensorflow/tfjs-node` when it is installed (an
 * optional dependency: its install downloads libtensorflow, which some machines cannot), else the
 * WebAssembly backend, which works offline everywhere (single-threaded in Node).
 */
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

let ready: Promise<BackendName> | undefined;

async function tryNative(): Promise<boolean> {
  const nativeModule = '@tensorflow/tfjs-node';
  try {
    await import(nativeModule);
    return tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function useWasm(): Promise<boolean> {
  await import('@tensorflow/tfjs-backend-wasm');
  return tf.setBackend('wasm');
}

async function selectBackend(): Promise<BackendName> {
  const wanted = process.env.FER_BACKEND as BackendName | undefined;
  if (wanted && !['tensorflow', 'wasm', 'cpu'].includes(wanted)) {
    throw new Error(`FER_BACKEND must be tensorflow, wasm or cpu, not ${JSON.stringify(wanted)}`);
  }
  if ((wanted === undefined || wanted === 'tensorflow') && (await tryNative())) return 'tensorflow';
  if (wanted === 'tensorflow') throw new Error('FER_BACKEND=tensorflow but @tensorflow/tfjs-node is not installed');
  if (wanted !== 'cpu' && (await useWasm())) return 'wasm';
  await tf.setBackend('cpu');
  return 'cpu';
}

/** Initialises the backend on first call; later calls get the same promise. */
export function initBackend(): Promise<BackendName> {
  ready ??= selectBackend().then(async (name) => {
    await tf.ready();
    return name;
  });
  return ready;
}

export { tf };
