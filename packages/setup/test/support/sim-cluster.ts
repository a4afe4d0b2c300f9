import { join } from 'node:path';
import { createRuntime, type InstanceRuntime } from '@elastiq/cloud-sim';
import { execOnNode, type KnownHostsEntry, probeNode, writeKnownHosts } from '@elastiq/ssh';
import { generateSshKeyPair, makeTempDir, type TempDir } from '@elastiq/testing';
import type { SetupContext, SetupNode } from '../../src';

// A cluster's worth of real sshd instances from cloud-sim's runtime, with host keys pinned the
// way the fleet pins them (probe, then known_hosts): what a setup provider meets after a start.

const IMAGE_USER = 'elastiq';

export interface SimCluster {
  root: TempDir;
  nodes: SetupNode[];
  privateKeyPath: string;
  knownHostsPath: string;
  /** A SetupContext for this cluster; each call gets a fresh workDir. */
  context(overrides?: Partial<SetupContext>): Promise<SetupContext>;
  /** Stops one node's SSH server (its SSH "breaks"). */
  stopNode(name: string): Promise<void>;
  /** A file's text read on the node over SSH (pinned host key), or undefined when it is absent. */
  readOnNode(name: string, path: string): Promise<string | undefined>;
  shutdown(): Promise<void>;
}

/**
 * Starts one instance per node on 127.0.<subnet>.1, .2, ...; every test file uses its own
 * subnet so test files running in parallel never share an address.
 */
export async function startSimCluster(
  clusterName: string,
  subnet: number,
  members: ReadonlyArray<{ name: string; kind: string }>,
): Promise<SimCluster> {
  const root = await makeTempDir(`setup-${clusterName}`);
  const runtime: InstanceRuntime = createRuntime({ mode: 'sshd', rootDir: join(root.path, 'runtime') });
  try {
    const key = await generateSshKeyPair(root.path);
    const nodes: SetupNode[] = [];
    const knownHosts: KnownHostsEntry[] = [];
    for (const [index, member] of members.entries()) {
      const instanceId = instanceIdOf(clusterName, member.name);
      const endpoint = await runtime.start({
        instanceId,
        address: `127.0.${subnet}.${index + 1}`,
        port: process.getuid?.() === 0 ? 22 : 0,
        username: IMAGE_USER,
        authorizedKeys: key.publicKey,
        stateDir: join(root.path, 'state', instanceId),
        homeDir: join(root.path, 'home', instanceId),
      });
      const probe = await probeNode({
        host: endpoint.address,
        port: endpoint.port,
        username: IMAGE_USER,
        privateKeyPath: key.privateKeyPath,
        timeoutMs: 10_000,
      });
      if (!probe.ok) throw new Error(`instance of ${member.name} does not answer SSH: ${probe.reason}`);
      knownHosts.push({ host: endpoint.address, port: endpoint.port, hostKey: probe.hostKey });
      nodes.push({
        name: member.name,
        kind: member.kind,
        host: endpoint.address,
        port: endpoint.port,
        imageUser: IMAGE_USER,
        vars: {},
      });
    }
    const knownHostsPath = join(root.path, `${clusterName}.known_hosts`);
    await writeKnownHosts(knownHostsPath, knownHosts);
    const pinnedOf = (name: string) => {
      const node = nodes.find((candidate) => candidate.name === name);
      const entry = knownHosts.find((candidate) => candidate.host === node?.host);
      if (node === undefined || entry === undefined) throw new Error(`no node ${name}`);
      return { node, hostKey: entry.hostKey };
    };
    let workDirs = 0;
    return {
      root,
      nodes,
      privateKeyPath: key.privateKeyPath,
      knownHostsPath,
      async context(overrides = {}) {
        workDirs += 1;
        return {
          clusterName,
          nodes,
          groups: {},
          clusterVars: { name: clusterName },
          privateKeyPath: key.privateKeyPath,
          knownHostsPath,
          workDir: join(root.path, `work-${workDirs}`),
          extraArgs: [],
          ...overrides,
        };
      },
      stopNode: (name) => runtime.stop(instanceIdOf(clusterName, name)),
      async readOnNode(name, path) {
        const { node, hostKey } = pinnedOf(name);
        const result = await execOnNode(
          {
            host: node.host,
            port: node.port,
            username: IMAGE_USER,
            privateKeyPath: key.privateKeyPath,
            timeoutMs: 10_000,
            pinnedHostKey: hostKey,
          },
          `cat ${path}`,
          { timeoutMs: 10_000 },
        );
        return result.code === 0 ? result.stdout : undefined;
      },
      async shutdown() {
        await runtime.shutdown();
        await root.cleanup();
      },
    };
  } catch (error) {
    await runtime.shutdown();
    await root.cleanup();
    throw error;
  }
}

function instanceIdOf(clusterName: string, nodeName: string): string {
  return `i-${clusterName}-${nodeName}`;
}

/** ansible-playbook's own files on the controller go under the test's temp dir, not ~/.ansible. */
export function ansibleTestEnv(root: string): Record<string, string> {
  return {
    ANSIBLE_LOCAL_TEMP: join(root, 'ansible-local-tmp'),
    ANSIBLE_HOME: join(root, 'ansible-home'),
  };
}
