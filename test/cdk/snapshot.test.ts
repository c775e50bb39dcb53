/**
 * The whole template, to make every change to it visible in review (`npx vitest run -u test/cdk` accepts one).
 * The image asset's hash changes with any source file, so 64-hex-digit hashes are normalised.
 */
import { describe, expect, it } from 'vitest';
import { synthFerStack } from './synth.js';

const ASSET_HASH = /[0-9a-f]{64}/g;

describe('FerStack template', () => {
  it('matches the reviewed snapshot', () => {
    const { template } = synthFerStack();

    const normalised = JSON.parse(JSON.stringify(template.toJSON()).replace(ASSET_HASH, '<asset-hash>'));

    expect(normalised).toMatchSnapshot();
  });
});
