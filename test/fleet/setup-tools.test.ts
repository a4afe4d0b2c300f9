import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clusterSetupJobId } from '@elastiq/queue';
import { FleetHarness } from './fleet-harness';

// Only workers that have the provider's tools take setup jobs: a worker whose PATH has no
// ansible-playbook serves every other queue, and the setup job waits for a worker that can run it.

describe('fleet: setup jobs go to workers that have ansible-playbook', () => {
  const fleet = new FleetHarness();

  beforeAll(async () => {
    await fleet.start();
  });
  afterAll(() => fleet.stop());

  it('leaves the setup job waiting on a fleet without ansible-playbook, and a worker with it runs the setup', async () => {
    const noAnsible = join(fleet.scratchDir, 'bin-without-ansible');
    await mkdir(noAnsible);
    await fleet.spawnWorker({ PATH: noAnsible });
    const playbook = join(fleet.scratchDir, 'site.yml');
    await writeFile(playbook, ['- hosts: all', '  gather_facts: false', '  tasks:', '    - ansible.builtin.ping:', ''].join('\n'));
    const setup = { name: 'tools', provider: 'ansible', playbook_path: playbook };
    await fleet.producer.startCluster({ cluster: fleet.clusterDict('tooled', { compute: { count: 2 } }, { setup }), cloud: fleet.cloud, runSetup: true });

    // The worker without Ansible started the nodes and enqueued the setup, but does not take it.
    const waiting = await fleet.producer.waitForCluster('tooled', (c) => c.status !== 'starting', { timeoutMs: 60_000 });
    expect(waiting?.status).toBe('setting-up');
    const jobId = clusterSetupJobId('tooled', waiting!.generation);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await (await fleet.producer.queues.clusterSetup.getJob(jobId))?.getState()).toBe('waiting');
    expect(await fleet.producer.queues.clusterSetup.getWorkersCount()).toBe(0);
    expect(await fleet.producer.queues.nodeStart.getWorkersCount()).toBe(1);

    await fleet.spawnWorker();
    const done = await fleet.producer.waitForCluster('tooled', (c) => c.status !== 'setting-up', { timeoutMs: 120_000 });
    expect({ status: done?.status, reason: done?.statusReason }).toMatchObject({ status: 'ready' });
    expect(Object.values(done!.nodes).flat().map((node) => node.setupStatus)).toEqual(['ok', 'ok']);
  });
});
