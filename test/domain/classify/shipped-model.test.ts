import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { routerModelFile } from '../../../functions/config/router-model.js';

/**
 * The configured model is what its card's command trains from the committed data: anyone can rebuild it, and a
 * change to the features, the trainer or the data that would change it shows up here.
 */
describe('the shipped router model', () => {
  it('is reproduced byte for byte by the command on its model card', () => {
    if (routerModelFile === null) return; // the lexicon alone: no file to reproduce
    const card = readFileSync(routerModelFile!.replace(/\.json$/, '.card.md'), 'utf8');
    const command = /Command \(reproduces this file byte for byte\): `npm run train -- ([^`]+)`/.exec(card)?.[1];
    expect(command, 'the card names its command').toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'router-model-'));
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/train.ts', ...command!.split(' '), '--out-dir', dir], { stdio: 'pipe' });
      const rebuilt = readFileSync(join(dir, routerModelFile!.split('/').pop()!));
      expect(rebuilt.equals(readFileSync(routerModelFile!))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
