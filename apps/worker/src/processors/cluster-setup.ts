import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClusterDict, ElastiqError, HostKeyMismatch, type NodeDict } from '@elastiq/core';
import { ClusterSetupPayloadSchema, parseJobPayload, updateRecord } from '@elastiq/queue';
import { type NodeSetupResult, nodeGroups, type SetupContext, type SetupOutcome } from '@elastiq/setup';
import { writeKnownHosts } from '@elastiq/ssh';
import { allNodes, GenerationState } from '../generation-state';
import { processorOf } from '../job-control';
import { SetupProgress } from '../setup-progress';
import { kindVariables, setupClusterVars } from '../setup-variables';
import { probeTargetFor } from '../probe-target';
import type { WorkerDependencies } from '../worker-dependencies';

/**
 * Runs the cluster's setup provider on the nodes that are up. Before anything connects, every
 * node is probed against the host key pinned at start: a changed key fails the setup naming the
 * node, instead of Ansible connecting to whoever answers (ElastiCluster turned host key checking
 * off). Only workers that serve the setup queue (they have the provider's tools) take this job.
 */
export function clusterSetupProcessor(deps: WorkerDependencies) {
  return processorOf(async (job) => {
    const payload = parseJobPayload(ClusterSetupPayloadSchema, job);
    const record = (await deps.repository.get(payload.cluster))?.value;
    if (record === undefined || record.generation !== payload.generation || record.status !== 'setting-up') {
      return { skipped: 'the cluster is not waiting for setup' };
    }
    const log = deps.log.child({ cluster: record.name, jobId: job.id });
    // Nodes that are not up (not back from a resume, gone) are left out rather than failing the setup.
    const nodes = allNodes(record).filter((node) => node.state === 'up');
    const missing = allNodes(record).length - nodes.length;
    await job.updateProgress({ step: 'verifying host keys' });
    const mismatches = await verifyPinnedHostKeys(deps, record, nodes);
    if (mismatches.length > 0) {
      const reason = mismatches.map((mismatch) => mismatch.error.message).join('; ');
      await finish(deps, record, 'setup-failed', reason, (node) => {
        const mismatch = mismatches.find((m) => m.node === node.name);
        if (mismatch) {
          node.lastError = mismatch.error.toUserLine();
          node.setupStatus = 'failed';
        }
      });
      log.error({ nodes: mismatches.map((m) => m.node) }, 'host key changed after pinning');
      return { status: 'setup-failed', reason };
    }

    const extraArgs = payload.extraArgs ?? [];
    if (extraArgs.length > 0) log.info({ extraArgs }, 'extra ansible-playbook arguments for this run');
    let outcome: SetupOutcome;
    try {
      const provider = deps.setupFor(record);
      await provider.checkPrerequisites();
      const progress = new SetupProgress(job, provider.name, nodes.length);
      await progress.report();
      outcome = await provider.run(await setupContext(record, nodes, extraArgs), {
        onLog: (line) => void job.log(line),
        onNodeResult: (node, result) => progress.settle(node, result),
      });
    } catch (error) {
      // A setup that cannot even run (no playbook, no ansible-playbook) must not leave the cluster
      // `setting-up` for ever: say why, and let `elastiq setup` try again after the fix.
      const reason = error instanceof ElastiqError ? error.toUserLine() : error instanceof Error ? error.message : String(error);
      await finish(deps, record, 'setup-failed', `setup could not run: ${reason}`, () => undefined);
      throw error;
    }
    const state = new GenerationState(deps.redis, deps.prefix, record.name, record.generation);
    const [decision, plan] = await Promise.all([state.decision(), state.plan()]);
    // After a resize the cluster stays degraded if it was (its start dropped nodes) or the resize did.
    const degraded = decision?.decision === 'degraded' || plan?.previousStatus === 'degraded' || missing > 0;
    const status = !outcome.ok ? 'setup-failed' : degraded ? 'degraded' : 'ready';
    const failedNodes = Object.entries(outcome.nodes).filter(([, result]) => !result.ok).map(([name]) => name);
    const reason = outcome.ok ? (decision?.summary ?? 'setup done') : `setup did not succeed on: ${failedNodes.join(', ')}`;
    await finish(deps, record, status, reason, (node) => {
      const result = outcome.nodes[node.name];
      if (result) {
        node.setupStatus = result.status;
        if (!result.ok) node.lastError = describeNodeFailure(result);
      }
    });
    log.info({ status, failedNodes }, 'setup finished');
    // Per-node results for Bull Board; script output stays in the job log (it can be 64 KiB a node).
    const nodeResults = Object.fromEntries(Object.entries(outcome.nodes).map(([name, { output: _output, ...result }]) => [name, result]));
    return { status, nodes: nodeResults };
  });
}

async function verifyPinnedHostKeys(deps: WorkerDependencies, record: ClusterDict, nodes: NodeDict[]) {
  const mismatches: { node: string; error: HostKeyMismatch }[] = [];
  await Promise.all(
    nodes
      .filter((node) => node.hostKey !== null && node.preferredIp !== null)
      .map(async (node) => {
        const result = await deps.probe(probeTargetFor(record, node, node.preferredIp as string));
        if (!result.ok && result.kind === 'host-key-mismatch') {
          const pinned = node.hostKey?.fingerprint ?? 'the pinned key';
          mismatches.push({ node: node.name, error: new HostKeyMismatch(node.name, pinned, result.hostKey?.fingerprint ?? 'another key') });
        }
      }),
  );
  return mismatches;
}

async function setupContext(record: ClusterDict, nodes: NodeDict[], extraArgs: string[]): Promise<SetupContext> {
  const workDir = join(tmpdir(), 'elastiq-setup', encodeURIComponent(record.name));
  await mkdir(workDir, { recursive: true, mode: 0o700 });
  const knownHostsPath = join(workDir, 'known_hosts');
  await writeKnownHosts(
    knownHostsPath,
    nodes.filter((node) => node.hostKey !== null && node.preferredIp !== null).map((node) => ({ host: node.preferredIp as string, port: node.sshPort, hostKey: node.hostKey! })),
  );
  const groups: Record<string, string[]> = {};
  for (const node of nodes) groups[node.kind] = nodeGroups(node);
  return {
    clusterName: record.name,
    nodes: nodes
      .filter((node) => node.preferredIp !== null)
      .map((node) => ({
        name: node.name,
        kind: node.kind,
        host: node.preferredIp as string,
        port: node.sshPort,
        imageUser: node.imageUser,
        vars: kindVariables(record, node.kind),
      })),
    groups,
    clusterVars: setupClusterVars(record),
    privateKeyPath: record.userKeyPrivate,
    knownHostsPath,
    ...(record.sshProxyCommand ? { sshProxyCommand: record.sshProxyCommand } : {}),
    workDir,
    extraArgs,
  };
}

async function finish(deps: WorkerDependencies, record: ClusterDict, status: ClusterDict['status'], reason: string, perNode: (node: NodeDict) => void) {
  await updateRecord(deps.repository, record.name, (cluster) => {
    if (cluster.generation !== record.generation || cluster.status !== 'setting-up') return null;
    cluster.status = status;
    cluster.statusReason = reason;
    for (const node of allNodes(cluster)) perNode(node);
    return cluster;
  });
}

/** What the record says about a node the setup did not configure: status, attempts and why. */
export function describeNodeFailure(result: NodeSetupResult): string {
  const tries = result.attempts === 1 ? '1 attempt' : `${result.attempts} attempts`;
  const why = result.reason ?? 'no reason given';
  return result.attempts > 0 ? `setup ${result.status} after ${tries}: ${why}` : `setup ${result.status}: ${why}`;
}
