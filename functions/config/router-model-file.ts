/**
 * Reading a learned router file (`npm run train` writes them under models/). Apart from `router-model.ts`, which loads
 * the configured one at import, so that config validation can check a file without loading the deployed one first.
 */
import { decodeModel, type RouterModel } from '../domain/classify/model/router-model.js';
import { readBesideBundle } from './beside-bundle.js';

const decodeBase64 = (s: string): Uint8Array => {
  const b = Buffer.from(s, 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
};

export function loadRouterModel(relative: string, opts: { verify: boolean } = { verify: true }): RouterModel {
  return decodeModel(readBesideBundle(relative), relative, decodeBase64, opts.verify);
}
