import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, spawnTracked, type TempDir, type TrackedProcess } from '@elastiq/testing';
import { DiskClusterRepository } from '../src';
import { makeCluster } from './cluster-fixture';

// Real processes, sockets and fsynced files on a shared 2-core machine: jest's 5 s default (the
// preset's testTimeout does not apply in the root's multi-project run) is too tight under load.
jest.setTimeout(60_000);

// Two promises in one process cannot show that the lock file works: only separate processes
// interleave between the revision check and the rename.

const WRITER = join(__dirname, 'disk-race-writer.ts');

async function runWriters(dir: string, count: number, args: string[]): Promise<Record<string, unknown>[]> {
  const goFile = join(dir, '.go');
  const writers: TrackedProcess[] = [];
  try {
    for (let index = 0; index < count; index += 1) {
      // development condition: @elastiq/* resolve to their TypeScript sources, as in jest.
      writers.push(await spawnTracked(process.execPath, ['--conditions=development', '--require', 'tsx/cjs', WRITER, dir, goFile, ...args], {
        cwd: join(__dirname, '..'),
      }));
    }
    // All writers are up and polling before any of them starts writing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await writeFile(goFile, '');
    const results: Record<string, unknown>[] = [];
    for (const writer of writers) {
      const status = await writer.exited;
      await new Promise((resolve) => setImmediate(resolve));
      if (status.code !== 0) throw new Error(`writer ${writer.pid} failed (${JSON.stringify(status)}):\n${writer.output()}`);
      results.push(JSON.parse(writer.output().trim().split('\n').pop() as string) as Record<string, unknown>);
    }
    return results;
  } finally {
    await Promise.all(writers.map((writer) => writer.stop('SIGKILL')));
  }
}

describe('DiskClusterRepository across processes', () => {
  let dir: TempDir;

  beforeEach(async () => {
    dir = await makeTempDir('disk-race');
  });

  afterEach(async () => {
    await dir.cleanup();
  });

  it('lets exactly one of two processes win each save with the same expected revision', async () => {
    const rounds = 60;
    await new DiskClusterRepository(dir.path).save(makeCluster('race'), null);
    const [first, second] = (await runWriters(dir.path, 2, ['race', String(rounds)])) as { won: number[]; lost: number[] }[];

    const winners = [...first.won, ...second.won].sort((a, b) => a - b);
    expect(winners).toEqual(Array.from({ length: rounds }, (_, index) => index + 1));
    expect(first.won.length + first.lost.length).toBe(rounds);
    expect(second.won.length + second.lost.length).toBe(rounds);
    expect(await new DiskClusterRepository(dir.path).get('race')).toMatchObject({ revision: rounds + 1 });
  });

  it('loses no increment when three processes update the same cluster concurrently', async () => {
    const perWriter = 25;
    await new DiskClusterRepository(dir.path).save(makeCluster('counter', { extra: { counter: 0 } }), null);
    const results = (await runWriters(dir.path, 3, ['increment', String(perWriter)])) as { attempts: number }[];

    const stored = await new DiskClusterRepository(dir.path).get('counter');
    expect(stored).toMatchObject({ value: { extra: { counter: 3 * perWriter } }, revision: 1 + 3 * perWriter });
    // More attempts than increments: the writers really did collide and retry.
    expect(results.reduce((sum, { attempts }) => sum + attempts, 0)).toBeGreaterThan(3 * perWriter);
  });
});
