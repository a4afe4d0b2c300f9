// A separate OS process writing to a DiskClusterRepository, for the cross-process race specs.
// Usage: disk-race-writer <dir> <go-file> race <rounds> | increment <count>
// Prints one JSON line with what happened.
import { existsSync } from 'node:fs';
import { ConcurrentModification } from '@elastiq/core';
import { DiskClusterRepository, updateCluster } from '../src';

const [dir, goFile, mode, countText] = process.argv.slice(2);
const count = Number(countText);
const repository = new DiskClusterRepository(dir);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A writer must never outlive its test, even one that timed out and removed the directory.
const giveUp = setTimeout(() => {
  process.stderr.write('disk-race-writer: gave up after 50 s\n');
  process.exit(2);
}, 50_000);

async function race(): Promise<{ won: number[]; lost: number[] }> {
  const won: number[] = [];
  const lost: number[] = [];
  for (let revision = 1; revision <= count; revision += 1) {
    // Both processes try every revision once, as soon as it is the current one.
    while (((await repository.get('race'))?.revision ?? 0) < revision) {
      if (!existsSync(dir)) throw new Error(`${dir} disappeared`);
      await sleep(0);
    }
    const current = await repository.get('race');
    try {
      await repository.save({ ...current!.value, statusReason: `pid ${process.pid} at ${revision}` }, revision);
      won.push(revision);
    } catch (error) {
      if (!(error instanceof ConcurrentModification)) throw error;
      lost.push(revision);
    }
  }
  return { won, lost };
}

async function increment(): Promise<{ attempts: number }> {
  let attempts = 0;
  for (let index = 0; index < count; index += 1) {
    await updateCluster(
      repository,
      'counter',
      (draft) => {
        attempts += 1;
        draft.extra.counter = (draft.extra.counter as number) + 1;
      },
      { retries: 1000 },
    );
  }
  return { attempts };
}

async function main(): Promise<void> {
  while (!existsSync(goFile)) {
    if (!existsSync(dir)) throw new Error(`${dir} disappeared`);
    await sleep(1);
  }
  const result = mode === 'race' ? await race() : await increment();
  process.stdout.write(`${JSON.stringify({ pid: process.pid, ...result })}\n`);
  clearTimeout(giveUp);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
