import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ec2CloudProvider, type CloudInstance, TAG_CLUSTER, TAG_GENERATION, clientTokenFor } from '@elastiq/cloud';
import { type RunningCloudSim, startCloudSim } from '@elastiq/cloud-sim';
import { generateSshKeyPair, makeTempDir, type SshKeyPair, type TempDir, waitFor } from '@elastiq/testing';
import { execOnNode, type ProbeTarget, probeNode, writeKnownHosts } from '../src';

// The probe against what the fleet really meets: cloud-sim instances, each a real sshd on its own
// loopback address and port 22, found through the EC2 API, whose host keys can change.

const execFileAsync = promisify(execFile);
const IMAGE_USER = 'elastiq';

let sim: RunningCloudSim;
let provider: Ec2CloudProvider;
let temp: TempDir;
let clusterKey: SshKeyPair;
let nodes: CloudInstance[];

function targetOf(instance: CloudInstance, overrides: Partial<ProbeTarget> = {}): ProbeTarget {
  return { host: instance.privateIp ?? '', port: 22, username: IMAGE_USER, privateKeyPath: clusterKey.privateKeyPath, timeoutMs: 5000, ...overrides };
}

async function launch(batch: string, count: number): Promise<CloudInstance[]> {
  return provider.launch({
    clientToken: clientTokenFor('sshtest', 1, batch),
    imageId: 'ami-sim',
    flavor: 't3.micro',
    keyName: 'sshtest',
    securityGroup: 'default',
    minCount: count,
    maxCount: count,
    tags: { [TAG_CLUSTER]: 'sshtest', [TAG_GENERATION]: '1' },
  });
}

beforeAll(async () => {
  temp = await makeTempDir('ssh-cloud-sim');
  clusterKey = await generateSshKeyPair(temp.path, 'ed25519');
  sim = await startCloudSim({ runtime: 'sshd', bootDelay: 'fixed:0ms', rateLimits: 'off' });
  provider = new Ec2CloudProvider({ region: sim.region, endpoint: sim.endpoint, credentials: { accessKeyId: 'AKIDSSHTEST', secretAccessKey: 'x' } });
  await provider.ensureKeyPair('sshtest', clusterKey.publicKeyPath);
  nodes = await launch('b1', 2);
  // The fleet's loop: probe until up. Here nothing is in the way, so every node comes up.
  for (const node of nodes) {
    await waitFor(async () => (await probeNode(targetOf(node))).ok, { timeoutMs: 20_000, description: `${node.instanceId} answers SSH` });
  }
}, 60_000);

afterAll(async () => {
  provider?.destroy();
  await sim?.stop();
  await temp?.cleanup();
});

describe('probing cloud-sim instances', () => {
  it('logs in at the private address the EC2 API reports and sees the host key the instance holds', async () => {
    for (const node of nodes) {
      const result = await probeNode(targetOf(node));
      const view = sim.instances().find((instance) => instance.instanceId === node.instanceId);

      expect(result).toMatchObject({ ok: true, hostKey: { fingerprint: view?.ssh?.hostKeyFingerprint, type: view?.ssh?.hostKeyType } });
    }
  });

  it('writes a known_hosts (bare addresses on port 22) that strict OpenSSH ssh accepts for every node', async () => {
    const entries = [];
    for (const node of nodes) {
      const result = await probeNode(targetOf(node));
      if (!result.ok) throw new Error(result.reason);
      entries.push({ host: targetOf(node).host, port: 22, hostKey: result.hostKey });
    }
    const knownHosts = join(temp.path, 'sshtest.known_hosts');
    await writeKnownHosts(knownHosts, entries);

    for (const entry of entries) {
      const { stdout } = await execFileAsync(
        'ssh',
        ['-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${knownHosts}`,
          '-o', 'GlobalKnownHostsFile=/dev/null', '-i', clusterKey.privateKeyPath, `${IMAGE_USER}@${entry.host}`, 'echo reached'],
        { timeout: 15_000 },
      );
      expect(stdout).toBe('reached\n');
    }
  });

  it('refuses a node whose host key changed after it was pinned, naming the node; exec refuses too', async () => {
    const node = nodes[1];
    const first = await probeNode(targetOf(node));
    if (!first.ok) throw new Error(first.reason);

    await sim.changeHostKey(node.instanceId);
    const pinned = targetOf(node, { pinnedHostKey: first.hostKey, nodeName: 'compute002' });
    const result = await waitFor(async () => {
      const probe = await probeNode(pinned);
      return probe.ok ? undefined : probe;
    }, { timeoutMs: 10_000, description: 'the new host key is served' });

    expect(result).toMatchObject({ ok: false, kind: 'host-key-mismatch' });
    expect(result.reason).toContain('compute002');
    await expect(execOnNode(pinned, 'true', { timeoutMs: 5000 })).rejects.toMatchObject({ kind: 'host-key-mismatch' });
  });

  it('times out on an instance whose SSH port accepts TCP but never sends a banner', async () => {
    sim.setFaults({ noBanner: { count: 1 } });
    try {
      const [silent] = await launch('b2', 1);
      await waitFor(() => sim.instances().find((instance) => instance.instanceId === silent.instanceId)?.ssh, { timeoutMs: 10_000, description: 'the silent listener' });

      const result = await probeNode(targetOf(silent, { timeoutMs: 500 }));

      expect(result).toMatchObject({ ok: false, kind: 'timeout' });
    } finally {
      sim.clearFaults();
    }
  });
});
