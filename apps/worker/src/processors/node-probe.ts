import { endedInstanceReason, HostKeyMismatch } from '@elastiq/core';
import { NodeProbePayloadSchema } from '@elastiq/queue';
import { UnrecoverableError } from 'bullmq';
import { comeBackAt, processorOf } from '../job-control';
import { nextPendingLookMs, nextProbeDelayMs } from '../probe-cadence';
import { describeInstance } from '../shared-describe';
import { openNodeJob } from '../node-job-context';
import { probeTargetFor } from '../probe-target';
import type { WorkerDependencies } from '../worker-dependencies';

const GONE_STATES = new Set(['shutting-down', 'terminated', 'stopping', 'stopped']);

/**
 * A step job per node: park until the cloud reports the instance running (one shared
 * DescribeInstances per cluster), then until an SSH handshake as the image user succeeds. It
 * never sleeps in a worker slot. Only a handshake makes a node "up": "running" is not "reachable".
 */
export function nodeProbeProcessor(deps: WorkerDependencies) {
  return processorOf(async (job, token) => {
    const opening = await openNodeJob(deps, job, NodeProbePayloadSchema);
    if ('skipped' in opening) return opening;
    const { payload, log, state, record, node, progress, promoteAfter } = opening.context;
    const instanceId = await state.instanceOf(node.name);
    if (instanceId === null) throw new UnrecoverableError(`node \`${node.name}\` has no instance: its start job did not launch one`);
    const round = payload.round;

    const deadline = await state.deadline();
    /**
     * Parks the job until `delayMs` from now; `step` says what it waits for (the cloud, or SSH).
     * `runningSince` is step state: when the instance was first seen running.
     */
    const again = async (step: 'waiting-for-running' | 'probing', reason: string, delayMs: number, runningSince?: number) => {
      await state.noteError(node.name, reason);
      if (Date.now() + delayMs >= deadline) {
        // Past the deadline nobody waits for this node: say why it is down, then let the coordinator decide.
        const down = `not up before the deadline: ${reason}`;
        await job.log(`round ${round}: down: ${down}`);
        await progress('down', { round, reason: down });
        await state.reportResult(node.name, 'down', down);
        await promoteAfter('down');
        return { down: reason };
      }
      if (step === 'waiting-for-running') await job.log(`round ${round}: waiting: ${reason}; next look in ${delayMs} ms`);
      await progress(step, { round, reason, nextInMs: delayMs });
      return comeBackAt(job, token, Date.now() + delayMs, { ...payload, round: round + 1, ...(runningSince !== undefined ? { runningSince } : {}) });
    };

    const cloud = deps.cloudFor(record);
    const { instance, snapshotAgeMs } = await describeInstance(deps, state, cloud, instanceId);
    const pendingLookMs = nextPendingLookMs(deps.tuning, snapshotAgeMs);
    if (instance === undefined) return again('waiting-for-running', `instance ${instanceId} is not listed by the cloud yet`, pendingLookMs);
    if (GONE_STATES.has(instance.state)) {
      const reason = endedInstanceReason(instanceId, instance);
      await job.log(`round ${round}: failed: ${reason}`);
      await progress('failed', { round, reason });
      await state.reportResult(node.name, 'failed', reason);
      await promoteAfter('failed');
      return { failed: reason };
    }
    const host = instance.publicIp ?? instance.privateIp;
    if (instance.state !== 'running' || host === null) return again('waiting-for-running', `instance ${instanceId} is ${instance.state}`, pendingLookMs);
    const runningSince = payload.runningSince ?? Date.now();

    await progress('probing', { round, host });
    const result = await deps.probe(probeTargetFor(record, node, host));
    await job.log(`round ${round}: probe ${node.imageUser}@${host}:${node.sshPort} → ${result.ok ? 'up' : `${result.kind}: ${result.reason}`}`);
    if (result.ok) {
      const ips = [instance.privateIp, instance.publicIp].filter((ip): ip is string => ip !== null);
      await progress('up', { round, host });
      await state.reportResult(node.name, 'up', null, { ips, preferredIp: host, hostKey: result.hostKey });
      log.info({ host, round }, 'node up');
      await promoteAfter('up');
      return { up: host };
    }
    if (result.kind === 'host-key-mismatch') {
      // Never retried: the address now answers with another key (another machine, or someone in the middle).
      const reason = new HostKeyMismatch(node.name, node.hostKey?.fingerprint ?? 'the pinned key', result.hostKey?.fingerprint ?? 'another key').message;
      await progress('failed', { round, reason });
      await state.reportResult(node.name, 'failed', reason);
      await promoteAfter('failed');
      return { failed: reason };
    }
    // refused / timeout / auth while booting (cloud-init may not have installed the key yet).
    return again('probing', `${result.kind}: ${result.reason}`, nextProbeDelayMs(deps.tuning, Date.now() - runningSince), runningSince);
  });
}
