import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './support/run-cli';

// `npx elastiq` in a fresh checkout: npm links a workspace's bins at `npm install`, before
// `npm run build` creates dist/, so the bin must be a file that is already in the repository.

const CLI_DIR = join(REPO_ROOT, 'apps', 'cli');

describe('the elastiq bin', () => {
  const { bin, version } = JSON.parse(readFileSync(join(CLI_DIR, 'package.json'), 'utf8')) as { bin: Record<string, string>; version: string };

  it('is a source file outside dist/, so npm install can link it before the first build', () => {
    expect(bin.elastiq).toBe('bin/elastiq.js');
    expect(readFileSync(join(CLI_DIR, bin.elastiq), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('runs the built command through the link npm made in the root node_modules/.bin', async () => {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(join(REPO_ROOT, 'node_modules', '.bin', 'elastiq'), ['--version'], { cwd: REPO_ROOT }, (error, out) => (error ? reject(error) : resolve(out)));
    });
    expect(stdout.trim()).toBe(version);
  });
});
