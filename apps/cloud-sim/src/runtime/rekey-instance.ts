import type { InstanceRuntime, SshEndpoint, SshEndpointSpec } from './contract';
import { discardHostKey } from './host-key';
import { InstanceRuntimeError } from './runtime-error';

export interface RekeyTarget {
  /** Every instance ever started, running or not: a stopped one is re-keyed through its stateDir. */
  specs: ReadonlyMap<string, SshEndpointSpec>;
  runningEndpoint(instanceId: string): SshEndpoint | undefined;
  runtime: Pick<InstanceRuntime, 'start' | 'stop'>;
}

/**
 * The "host key changed" fault, the same for every runtime: forget the key, and if the instance
 * runs, restart it on the same port, because both sshd and ssh2's server read their host keys
 * only when they start.
 */
export async function rekeyInstance(instanceId: string, target: RekeyTarget): Promise<void> {
  const spec = target.specs.get(instanceId);
  if (!spec) throw new InstanceRuntimeError(`instance ${instanceId} was never started by this runtime; nothing to re-key`);
  await discardHostKey(spec.stateDir);
  const running = target.runningEndpoint(instanceId);
  if (!running) return;
  await target.runtime.stop(instanceId);
  await target.runtime.start({ ...spec, port: running.port });
}
