import type { CloudProvider } from '@elastiq/cloud';
import { CloudError } from '@elastiq/core';

// StartInstances is all or nothing: one instance without capacity (a stopped instance gave its
// host back) or beyond the quota fails the whole call, and a resume must not leave every node
// stopped because one has no room. Then each instance is started on its own; those still without
// room are returned with the cloud's reason, and the others start.

const NO_ROOM_CODES = new Set(['InsufficientInstanceCapacity', 'InsufficientHostCapacity', 'InsufficientCapacity', 'InstanceLimitExceeded', 'VcpuLimitExceeded']);

const noRoom = (error: unknown): error is CloudError => error instanceof CloudError && NO_ROOM_CODES.has(error.code);

/** Starts `instanceIds` in one call, or one by one when the call had no room; returns instance → why it did not start. */
export async function startWithRoom(cloud: CloudProvider, instanceIds: string[]): Promise<Map<string, string>> {
  const refused = new Map<string, string>();
  if (instanceIds.length === 0) return refused;
  try {
    await cloud.start(instanceIds);
    return refused;
  } catch (error) {
    if (!noRoom(error)) throw error;
    if (instanceIds.length === 1) return refused.set(instanceIds[0], `StartInstances: ${error.message}`);
  }
  for (const instanceId of instanceIds) {
    try {
      await cloud.start([instanceId]);
    } catch (error) {
      if (!noRoom(error)) throw error;
      refused.set(instanceId, `StartInstances: ${error.message}`);
    }
  }
  return refused;
}
