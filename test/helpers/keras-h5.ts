/**
 * Writes a tiny Keras 2.0.5-style HDF5 model (input 6×6×1 → Conv2D(2, 3×3) → BatchNormalization → ReLU →
 * global average → softmax), laid out as Keras 2.0.5 saves it — including its quirk of storing the batch
 * normalisation weights under `batch_normalization_1_1/…` for the layer `batch_normalization_1` — so the
 * converter can be tested without the published weights.
 */
import h5wasm from 'h5wasm/node';

const inbound = (name: string) => [[[name, 0, 0, {}]]];

export const TINY_CONFIG = {
  class_name: 'Model',
  config: {
    name: 'model_1',
    input_layers: [['input_1', 0, 0]],
    output_layers: [['predictions', 0, 0]],
    layers: [
      { class_name: 'InputLayer', name: 'input_1', config: { batch_input_shape: [null, 6, 6, 1], name: 'input_1', dtype: 'float32', sparse: false }, inbound_nodes: [] },
      {
        class_name: 'Conv2D',
        name: 'conv2d_1',
        config: {
          kernel_size: [3, 3], bias_constraint: null, use_bias: false, filters: 2, bias_initializer: { class_name: 'Zeros', config: {} }, name: 'conv2d_1',
          strides: [1, 1], kernel_initializer: { class_name: 'VarianceScaling', config: { mode: 'fan_avg', seed: null, scale: 1, distribution: 'uniform' } },
          padding: 'valid', kernel_regularizer: { class_name: 'L1L2', config: { l1: 0, l2: 0.01 } }, trainable: true, data_format: 'channels_last',
          dilation_rate: [1, 1], kernel_constraint: null, activity_regularizer: null, bias_regularizer: null, activation: 'linear',
        },
        inbound_nodes: inbound('input_1'),
      },
      {
        class_name: 'BatchNormalization',
        name: 'batch_normalization_1',
        config: {
          center: true, axis: -1, gamma_regularizer: null, name: 'batch_normalization_1', gamma_initializer: { class_name: 'Ones', config: {} },
          beta_initializer: { class_name: 'Zeros', config: {} }, moving_variance_initializer: { class_name: 'Ones', config: {} },
          moving_mean_initializer: { class_name: 'Zeros', config: {} }, scale: true, beta_regularizer: null, beta_constraint: null, trainable: true,
          epsilon: 0.001, momentum: 0.99, gamma_constraint: null,
        },
        inbound_nodes: inbound('conv2d_1'),
      },
      { class_name: 'Activation', name: 'activation_1', config: { name: 'activation_1', trainable: true, activation: 'relu' }, inbound_nodes: inbound('batch_normalization_1') },
      { class_name: 'GlobalAveragePooling2D', name: 'global_average_pooling2d_1', config: { name: 'global_average_pooling2d_1', trainable: true, data_format: 'channels_last' }, inbound_nodes: inbound('activation_1') },
      { class_name: 'Activation', name: 'predictions', config: { name: 'predictions', trainable: true, activation: 'softmax' }, inbound_nodes: inbound('global_average_pooling2d_1') },
    ],
  },
};

/** The weights written, by layer, in declared order. */
export const TINY_WEIGHTS = {
  conv2d_1: [{ stored: 'conv2d_1_1/kernel:0', shape: [3, 3, 1, 2], values: Float32Array.from({ length: 18 }, (_, i) => (i % 5) / 10 - 0.2) }],
  batch_normalization_1: [
    { stored: 'batch_normalization_1_1/gamma:0', shape: [2], values: new Float32Array([1.5, 0.5]) },
    { stored: 'batch_normalization_1_1/beta:0', shape: [2], values: new Float32Array([0.1, -0.1]) },
    { stored: 'batch_normalization_1_1/moving_mean:0', shape: [2], values: new Float32Array([0.2, 0.3]) },
    { stored: 'batch_normalization_1_1/moving_variance:0', shape: [2], values: new Float32Array([0.9, 1.1]) },
  ],
} as const;

export async function writeTinyKerasH5(path: string, options: { dropWeightOf?: keyof typeof TINY_WEIGHTS } = {}): Promise<void> {
  await h5wasm.ready;
  const file = new h5wasm.File(path, 'w');
  try {
    file.create_attribute('model_config', JSON.stringify(TINY_CONFIG));
    file.create_attribute('keras_version', '2.0.5');
    file.create_attribute('backend', 'tensorflow');
    const root = file.create_group('model_weights');
    const layers = TINY_CONFIG.config.layers.map((layer) => layer.name);
    root.create_attribute('layer_names', layers);
    for (const name of layers) {
      const group = root.create_group(name);
      const weights = (TINY_WEIGHTS as Record<string, readonly { stored: string; shape: readonly number[]; values: Float32Array }[]>)[name] ?? [];
      const kept = name === options.dropWeightOf ? weights.slice(1) : weights;
      // h5py writes an empty list of names as a zero-length numeric array, as in the published files.
      group.create_attribute('weight_names', kept.length ? kept.map((w) => w.stored) : new Float64Array(0));
      for (const weight of kept) {
        const [sub] = weight.stored.split('/');
        if (!group.keys().includes(sub)) group.create_group(sub);
        group.create_dataset({ name: weight.stored, data: weight.values, shape: [...weight.shape], dtype: '<f' });
      }
    }
  } finally {
    file.close();
  }
}
