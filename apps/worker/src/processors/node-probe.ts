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
/** An unchanged reason is still logged every this many rounds, so the job log shows the node is being looked at. */
const LOG_EVERY = 10;

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
    // Written once (the launch, the start): read in the first round, then carried as step state.
    const instanceId = payload.instanceId ?? (await state.instanceOf(node.name));
    if (instanceId === null) throw new UnrecoverableError(`node \`${node.name}\` has no instance: its start job did not launch one`);
    const deadline = payload.deadline ?? (await state.deadline());
    const round = payload.round;
    const carried = { instanceId, deadline };

    /**
     * Parks the job until `delayMs` from now; `step` says what it waits for (the cloud, or SSH).
     * `runningSince` is step state: when the instance was first seen running. A reason is noted,
     * logged and shown as progress when it changes (and logged every LOG_EVERY rounds): a node
     * refused 20 times in a row costs its step state and its move per round, not four writes more.
     */
    const again = async (step: 'waiting-for-running' | 'probing', reason: string, delayMs: number, runningSince?: number) => {
      if (Date.now() + delayMs >= deadline) {
        // Past the deadline nobody waits for this node: say why it is down, then let the coordinator decide.
        await state.noteError(node.name, reason);
        const down = `not up before the deadline: ${reason}`;
        await job.log(`round ${round}: down: ${down}`);
        await progress('down', { round, reason: down });
        await state.reportResult(node.name, 'down', down);
        await promoteAfter('down');
        return { down: reason };
      }
      const changed = reason !== payload.lastReason;
      if (changed) {
        await state.noteError(node.name, reason);
        await progress(step, { round, reason, nextInMs: delayMs });
      }
      // A probe logs its own line (below); a wait for the cloud says what it waits for.
      if (step === 'waiting-for-running' && (changed || round % LOG_EVERY === 0)) await job.log(`round ${round}: waiting: ${reason}; next look in ${delayMs} ms`);
      const next = { ...payload, ...carried, round: round + 1, lastReason: reason, ...(runningSince !== undefined ? { runningSince } : {}) };
      return comeBackAt(job, token, Date.now() + delayMs, next);
    };

    const cloud = deps.cloudFor(record);
    const { instance, snapshotAgeMs } = await describeInstance(deps, state, cloud, instanceId);
    if (instance === undefined || (instance.state === 'pending' && payload.runningSince === undefined)) {
      // Parked until the probe watcher sees the instance run (it promotes this job then), with a
      // late look of our own in case no watcher runs: one round per node while it is pending, not
      // one per snapshot. The late look comes at half the time left at most, so that a short
      // start whose watcher is slow still looks again before its deadline.
      await state.awaitRunning(instanceId, node.name);
      const halfTimeLeft = (deadline - Date.now()) / 2;
      const waitMs = Math.round(Math.min(deps.tuning.probeWatchFallbackMs, Math.max(nextPendingLookMs(deps.tuning, snapshotAgeMs), halfTimeLeft)));
      const reason = instance === undefined ? `instance ${instanceId} is not listed by the cloud yet` : `instance ${instanceId} is ${instance.state}`;
      return again('waiting-for-running', reason, waitMs);
    }
    if (payload.runningSince === undefined) await state.stopAwaitingRunning(instanceId);
    if (GONE_STATES.has(instance.state)) {
      const reason = endedInstanceReason(instanceId, instance);
      await job.log(`round ${round}: failed: ${reason}`);
      await progress('failed', { round, reason });
      await state.reportResult(node.name, 'failed', reason);
      await promoteAfter('failed');
      return { failed: reason };
    }
    const host = instance.publicIp ?? instance.privateIp;
    if (instance.state !== 'running' || host === null) {
      return again('waiting-for-running', `instance ${instanceId} is ${instance.state}`, nextPendingLookMs(deps.tuning, snapshotAgeMs), payload.runningSince);
    }
    const runningSince = payload.runningSince ?? Date.now();

    if (payload.runningSince === undefined) await progress('probing', { round, host });
    const result = await deps.probe(probeTargetFor(record, node, host));
    if (result.ok || `${result.kind}: ${result.reason}` !== payload.lastReason || round % LOG_EVERY === 0) {
      await job.log(`round ${round}: probe ${node.imageUser}@${host}:${node.sshPort} → ${result.ok ? 'up' : `${result.kind}: ${result.reason}`}`);
    }
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
