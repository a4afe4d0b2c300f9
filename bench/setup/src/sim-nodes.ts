import { join } from 'node:path';
import { createRuntime, type InstanceRuntime } from '@elastiq/cloud-sim';
import { type KnownHostsEntry, probeNode, writeKnownHosts } from '@elastiq/ssh';
import type { SetupNode } from '@elastiq/setup';

// What the setup step meets after a start: N cloud-sim instances, each a real OpenSSH server on
// its own 127.x.y.z address (cloud-sim's sshd runtime: Ansible needs a real sshd), with host keys
// pinned in a known_hosts file the way the fleet pins them. Fresh instances (fresh homes) for
// every measured run, so no run finds the files of the one before.

const IMAGE_USER = 'elastiq';

export interface SimNodes {
  nodes: SetupNode[];
  knownHostsPath: string;
  shutdown(): Promise<void>;
}

export async function startSimNodes(options: { dir: string; count: number; addressBlock: number; publicKey: string; privateKeyPath: string }): Promise<SimNodes> {
  const runtime: InstanceRuntime = createRuntime({ mode: 'sshd', rootDir: join(options.dir, 'runtime') });
  try {
    const nodes: SetupNode[] = [];
    const knownHosts: KnownHostsEntry[] = [];
    const members = [{ name: 'frontend001', kind: 'frontend' }, ...Array.from({ length: options.count - 1 }, (_, index) => ({ name: `compute${String(index + 1).padStart(3, '0')}`, kind: 'compute' }))];
    await Promise.all(
      members.map(async (member, index) => {
        const instanceId = `i-bench-${member.name}`;
        const endpoint = await runtime.start({
          instanceId,
          address: `127.${options.addressBlock}.${Math.floor((index + 1) / 250)}.${((index + 1) % 250) + 1}`,
          port: process.getuid?.() === 0 ? 22 : 0,
          username: IMAGE_USER,
          authorizedKeys: options.publicKey,
          stateDir: join(options.dir, 'state', instanceId),
          homeDir: join(options.dir, 'home', instanceId),
        });
        const probe = await probeNode({ host: endpoint.address, port: endpoint.port, username: IMAGE_USER, privateKeyPath: options.privateKeyPath, timeoutMs: 15_000 });
        if (!probe.ok) throw new Error(`instance of ${member.name} does not answer SSH: ${probe.reason}`);
        knownHosts[index] = { host: endpoint.address, port: endpoint.port, hostKey: probe.hostKey };
        nodes[index] = { name: member.name, kind: member.kind, host: endpoint.address, port: endpoint.port, imageUser: IMAGE_USER, vars: {} };
      }),
    );
    const knownHostsPath = join(options.dir, 'known_hosts');
    await writeKnownHosts(knownHostsPath, knownHosts);
    return { nodes, knownHostsPath, shutdown: () => runtime.shutdown() };
  } catch (error) {
    await runtime.shutdown();
    throw error;
  }
}
