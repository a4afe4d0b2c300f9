#!/usr/bin/env node
import { ClusterDictSchema } from '@elastiq/core';
import { benchCluster } from './bench-cluster';

// What one copy of an N-node cluster record costs a worker: its JSON size, the time to parse and
// validate it, and the heap one live parsed copy holds. Every node job reads the record, and a
// worker runs up to 200 node-start jobs at once, so this times the job concurrency is the
// record's share of a worker's memory and CPU during a start.
// Usage: node --expose-gc bench/start/dist/record-cost.js [N=1000]

const gc = (globalThis as { gc?: () => void }).gc;

function main(): void {
  if (gc === undefined) {
    process.stderr.write('record-cost: run node with --expose-gc\n');
    process.exit(2);
  }
  const nodes = Number(process.argv[2] ?? '1000');
  const text = JSON.stringify(
    benchCluster({ name: `bench-${nodes}`, nodeCount: nodes, privateKeyPath: '/tmp/elastiq-bench-start-abcdef/id_ed25519', publicKeyPath: '/tmp/elastiq-bench-start-abcdef/id_ed25519.pub', startTimeout: 240 }),
  );
  const copies = 50;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const live: unknown[] = [];
  const started = process.hrtime.bigint();
  for (let copy = 0; copy < copies; copy += 1) live.push(ClusterDictSchema.parse(JSON.parse(text)));
  const msPerCopy = Number(process.hrtime.bigint() - started) / 1e6 / copies;
  gc();
  const mbPerCopy = (process.memoryUsage().heapUsed - heapBefore) / copies / 2 ** 20;
  process.stdout.write(
    `${JSON.stringify({ nodes, recordJsonBytes: text.length, parseAndValidateMsPerCopy: Number(msPerCopy.toFixed(2)), heapMbPerLiveCopy: Number(mbPerCopy.toFixed(2)), liveCopies: live.length })}\n`,
  );
}

main();
