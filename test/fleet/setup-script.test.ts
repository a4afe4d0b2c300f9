import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clusterSetupJobId } from '@elastiq/queue';
import { execOnNode } from '@elastiq/ssh';
import { FleetHarness } from './fleet-harness';

// The script provider through the whole fleet: per-node results (exit code, attempts, reason) in
// the record and in the setup job, a failing node among configured ones, nothing rolled back.

const SCRIPT = [
  '#!/bin/sh',
  'if [ "$ELASTIQ_NODE" = compute002 ]; then echo "no scratch disk on $ELASTIQ_NODE" >&2; exit 3; fi',
  'echo "$ELASTIQ_CLUSTER/$ELASTIQ_NODE ($ELASTIQ_KIND)" > ~/scripted',
  '',
].join('\n');

describe('fleet: a start with a script setup and one failing node', () => {
  const fleet = new FleetHarness();

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('reports every node: configured ones ok, the failing one with its exit code after its retries; the cluster is setup-failed and kept', async () => {
    const script = join(fleet.scratchDir, 'setup.sh');
    await writeFile(script, SCRIPT);
    const setup = { name: 'scripted', provider: 'script', script_path: script };
    await fleet.producer.startCluster({ cluster: fleet.clusterDict('scripted', { frontend: { count: 1 }, compute: { count: 2 } }, { setup }), cloud: fleet.cloud, runSetup: true });
    const done = await fleet.producer.waitForCluster('scripted', (c) => !['starting', 'setting-up'].includes(c.status), { timeoutMs: 150_000 });

    expect({ status: done?.status, reason: done?.statusReason }).toEqual({ status: 'setup-failed', reason: 'setup did not succeed on: compute002' });
    const nodes = Object.values(done!.nodes).flat();
    expect(nodes.map((node) => [node.name, node.setupStatus, node.lastError])).toEqual([
      ['frontend001', 'ok', null],
      ['compute001', 'ok', null],
      ['compute002', 'failed', 'setup failed after 3 attempts: script exited with code 3'],
    ]);
    for (const node of nodes.filter((n) => n.setupStatus === 'ok')) {
      const target = { host: node.preferredIp!, port: node.sshPort, username: node.imageUser, privateKeyPath: node.userKeyPrivate, timeoutMs: 10_000, pinnedHostKey: node.hostKey };
      expect((await execOnNode(target, 'cat ~/scripted', { timeoutMs: 10_000 })).stdout).toBe(`scripted/${node.name} (${node.kind})\n`);
    }

    const job = await fleet.producer.queues.clusterSetup.getJob(clusterSetupJobId('scripted', done!.generation));
    expect(job?.returnvalue).toEqual({
      status: 'setup-failed',
      nodes: {
        frontend001: { ok: true, status: 'ok', exitCode: 0, attempts: 1 },
        compute001: { ok: true, status: 'ok', exitCode: 0, attempts: 1 },
        compute002: { ok: false, status: 'failed', reason: 'script exited with code 3', exitCode: 3, attempts: 3 },
      },
    });
    expect(job?.progress).toMatchObject({ provider: 'script', nodes: { total: 3, ok: 2, failed: 1, skipped: 0 } });
    // The failing script's own words are in the job's log, where a person looks next.
    const { logs } = await fleet.producer.queues.clusterSetup.getJobLogs(job!.id!);
    expect(logs).toContain('[compute002] no scratch disk on compute002');
    expect(fleet.liveInstances('scripted')).toHaveLength(3);
  });
});
