import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

// "Configuration is read once, in packages/config" (STYLE.md): any other source file that reads
// process.env grows a second, unvalidated way to configure elastiq. Tests and scripts may.

const ROOT = join(__dirname, '..', '..', '..');

/** Reads that are not configuration, each with its reason. */
const ALLOWED = new Map([
  // ansible-playbook inherits the user's environment (ANSIBLE_* wins, as in ElastiCluster) and is found on PATH.
  ['packages/setup/src/ansible-provider.ts', 'child process environment'],
  // The test harness passes PATH/HOME on to the processes it spawns.
  ['packages/testing/src', 'test harness'],
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the environment is read only by packages/config', () => {
  it('has no process.env in the source of any other app or package', () => {
    const sources = ['apps', 'packages'].flatMap((top) =>
      readdirSync(join(ROOT, top)).flatMap((pkg) => {
        try {
          return sourceFiles(join(ROOT, top, pkg, 'src'));
        } catch {
          return [];
        }
      }),
    );
    const readers = sources
      .map((path) => relative(ROOT, path))
      .filter((path) => !path.startsWith('packages/config/'))
      .filter((path) => ![...ALLOWED.keys()].some((allowed) => path.startsWith(allowed)))
      .filter((path) => readFileSync(join(ROOT, path), 'utf8').includes('process.env'));
    expect(sources.length).toBeGreaterThan(50);
    expect(readers).toEqual([]);
  });
});
