import { join } from 'node:path';
import { generateSshKeyPair, makeTempDir, type SshKeyPair, type TempDir } from '@elastiq/testing';
import type { ProbeTarget } from '../../src';
import { LOGIN_USER, type RealSshd, startRealSshd } from './real-sshd';

export interface SshdNode {
  temp: TempDir;
  /** The key the node's authorized_keys holds, as a cluster's key would be. */
  clusterKey: SshKeyPair;
  server: RealSshd;
  /** The node as probeNode/execOnNode see it: LOGIN_USER with the cluster key, 5 s to connect. */
  target: ProbeTarget;
}

/**
 * One real sshd node shared by every test of the file that calls this: started before the
 * first test, its process and temp dir gone after the last one, even when a test failed.
 */
export function useSshdNode(tempPrefix: string): SshdNode {
  const node = {} as SshdNode;
  beforeAll(async () => {
    node.temp = await makeTempDir(tempPrefix);
    node.clusterKey = await generateSshKeyPair(node.temp.path, 'ed25519');
    node.server = await startRealSshd(join(node.temp.path, 'node'), node.clusterKey.publicKey);
    node.target = {
      host: node.server.host,
      port: node.server.port,
      username: LOGIN_USER,
      privateKeyPath: node.clusterKey.privateKeyPath,
      timeoutMs: 5000,
    };
  });
  afterAll(async () => {
    await node.server?.stop();
    await node.temp?.cleanup();
  });
  return node;
}
