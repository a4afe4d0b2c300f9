// Ad-hoc measurement (not a test): probes per second against one real sshd, sequential and
// concurrent. Run: npx tsx packages/ssh/test/support/probe-throughput.bench.ts
import { join } from 'node:path';
import { generateSshKeyPair, makeTempDir } from '@elastiq/testing';
import { probeNode } from '../../src';
import { LOGIN_USER, startRealSshd } from './real-sshd';

async function main() {
  const temp = await makeTempDir('ssh-bench');
  const key = await generateSshKeyPair(temp.path, 'ed25519');
  const server = await startRealSshd(join(temp.path, 'node'), key.publicKey);
  const target = { host: server.host, port: server.port, username: LOGIN_USER, privateKeyPath: key.privateKeyPath, timeoutMs: 10_000 };
  try {
    const first = await probeNode(target);
    if (!first.ok) throw new Error(first.reason);
    const pinned = { ...target, pinnedHostKey: first.hostKey };
    const sequential = 100;
    let started = performance.now();
    for (let i = 0; i < sequential; i += 1) if (!(await probeNode(pinned)).ok) throw new Error('probe failed');
    const sequentialRate = sequential / ((performance.now() - started) / 1000);
    const concurrent = 400;
    started = performance.now();
    const results = await Promise.all(Array.from({ length: concurrent }, () => probeNode(pinned)));
    const concurrentRate = concurrent / ((performance.now() - started) / 1000);
    const failures = results.filter((result) => !result.ok).length;
    console.log(JSON.stringify({ sequentialPerSecond: Math.round(sequentialRate), concurrentPerSecond: Math.round(concurrentRate), concurrentFailures: failures }));
  } finally {
    await server.stop();
    await temp.cleanup();
  }
}

void main();
