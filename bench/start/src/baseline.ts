import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { BENCH_IMAGE, BENCH_KEY_NAME, benchNodeNames } from './bench-cluster';
import { BotoStyleEc2 } from './baseline-ec2';
import { sshLoginSucceeds } from './baseline-ssh-probe';
import { CloudSimProcess, type SimRuntime } from './cloud-sim-process';
import type { BenchContext } from './elastiq-run';
import { bootFloor, callsBetween, launchPhases, type StartRunResult } from './run-metrics';

// The comparator: ElastiCluster's `start` loop (elasticluster-notes §4.2, §4.3) re-enacted
// faithfully against the same cloud-sim, rate limits and seed as elastiq:
//
// 1. create VMs from a pool of min(#nodes, 4 × CPUs) threads, one start_instance per node;
// 2. wait until running: pass over the not-yet-running nodes one after another, then sleep 10 s;
// 3. SSH probe: pass over the running nodes one after another (timeout ssh_probe_timeout = 5 s
//    each), then sleep 10 s, until every node answered;
// 4. the start is over (min_nodes is not enforced; nothing is terminated).
// `stop` terminates the nodes one after another. State-file saves are left out (local disk
// writes, a few ms): the baseline only gets faster for it.

const POLLING_INTERVAL_MS = 10_000;
const SSH_PROBE_TIMEOUT_MS = 5_000;

interface BaselineNode {
  name: string;
  instanceId: string | null;
  ips: string[];
  up: boolean;
}

export interface BaselineRunSpec {
  label: string;
  nodes: number;
  runtime: SimRuntime;
  /** ElastiCluster's start_timeout, applied to the wait-running and the probe phase each. */
  startTimeoutMs: number;
}

export async function runBaselineStart(context: BenchContext, spec: BaselineRunSpec): Promise<StartRunResult> {
  const sim = await CloudSimProcess.start({ bootDelay: context.bootDelay, seed: context.seed, runtime: spec.runtime });
  const ec2 = new BotoStyleEc2({ endpoint: sim.endpoint, region: sim.region });
  try {
    const clusterName = `baseline-${spec.nodes}`;
    const nodes: BaselineNode[] = benchNodeNames(spec.nodes).map(({ name }) => ({ name, instanceId: null, ips: [], up: false }));
    const privateKey = await readFile(context.privateKeyPath);
    const notes: string[] = [];

    const startedAt = Date.now();
    const failedLaunches = await createVms(ec2, clusterName, nodes, context.publicKeyPath, context.log);
    if (failedLaunches > 0) notes.push(`${failedLaunches} launches failed after boto's retries (the nodes stay without an instance, as in ElastiCluster)`);
    const running = await waitUntilRunning(ec2, nodes.filter((node) => node.instanceId !== null), spec.startTimeoutMs);
    const runningPhaseEnd = Date.now() - startedAt;
    await probeUntilReachable(running, privateKey, spec.startTimeoutMs);
    const decidedAt = Date.now();

    const startStats = await sim.stats();
    const instances = await sim.instances();
    const floor = bootFloor(instances);
    const stopRequestedAt = Date.now();
    for (const node of nodes) {
      if (node.instanceId !== null) await ec2.terminate(node.instanceId);
    }
    const stopMs = Date.now() - stopRequestedAt;
    const stopStats = await sim.stats();

    const startCalls = callsBetween(null, startStats);
    const stopCalls = callsBetween(startStats, stopStats);
    const nodesUp = nodes.filter((node) => node.up).length;
    const timeToReadyMs = decidedAt - startedAt;
    return {
      label: spec.label,
      tool: 'baseline',
      nodes: spec.nodes,
      workers: null,
      runtime: spec.runtime,
      nodesUp,
      outcome: nodesUp === spec.nodes ? 'ready' : `${nodesUp}/${spec.nodes} up`,
      timeToReadyMs,
      floorMs: floor.floorMs,
      ratio: timeToReadyMs / floor.floorMs,
      decisionDelayMs: decidedAt - floor.lastSshReadyAt,
      stopMs,
      startCalls,
      stopCalls,
      callsPerNode: (startCalls.total + stopCalls.total) / spec.nodes,
      peakWorkerRssMb: [],
      cloudSimPeakRssMb: null,
      throughputNodesPerSecond: spec.nodes / (timeToReadyMs / 1000),
      phases: {
        ...launchPhases(instances, startedAt),
        lastSshReady: floor.lastSshReadyAt - startedAt,
        lastNodeReported: runningPhaseEnd,
        decided: timeToReadyMs,
        ready: timeToReadyMs,
      },
      notes,
    };
  } finally {
    ec2.destroy();
    await sim.stop();
  }
}

/** Step 1: a thread pool of min(#nodes, 4 × CPUs); a failed start is logged and the node kept. */
async function createVms(ec2: BotoStyleEc2, clusterName: string, nodes: BaselineNode[], publicKeyPath: string, log: (line: string) => void): Promise<number> {
  const poolSize = Math.min(nodes.length, 4 * availableParallelism());
  let next = 0;
  let failed = 0;
  const thread = async () => {
    while (next < nodes.length) {
      const node = nodes[next++];
      try {
        node.instanceId = await ec2.startInstance({
          keyName: BENCH_KEY_NAME,
          publicKeyPath,
          securityGroup: BENCH_IMAGE.securityGroup,
          imageId: BENCH_IMAGE.imageId,
          flavor: BENCH_IMAGE.flavor,
          tagName: `${clusterName}-${node.name}`,
        });
      } catch (error) {
        failed += 1;
        log(`baseline: could not start node ${node.name}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: poolSize }, thread));
  return failed;
}

/** Step 2: ElastiCluster's _check_starting_nodes. Returns the nodes that run. */
async function waitUntilRunning(ec2: BotoStyleEc2, started: BaselineNode[], timeoutMs: number): Promise<BaselineNode[]> {
  const deadline = Date.now() + timeoutMs;
  let pending = started;
  while (pending.length > 0 && Date.now() < deadline) {
    const stillPending: BaselineNode[] = [];
    for (const node of pending) {
      const ips = await ec2.runningAddresses(node.instanceId as string);
      if (ips === null) stillPending.push(node);
      else node.ips = ips;
    }
    pending = stillPending;
    if (pending.length > 0) await sleep(POLLING_INTERVAL_MS);
  }
  return started.filter((node) => !pending.includes(node));
}

/** Step 3: ElastiCluster's _gather_node_ip_addresses: sequential logins, 10 s between passes. */
async function probeUntilReachable(nodes: BaselineNode[], privateKey: Buffer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = nodes;
  while (pending.length > 0 && Date.now() < deadline) {
    const stillPending: BaselineNode[] = [];
    for (const node of pending) {
      let reached = false;
      for (const ip of node.ips) {
        reached = await sshLoginSucceeds({ host: ip, port: 22, username: BENCH_IMAGE.user, privateKey, timeoutMs: SSH_PROBE_TIMEOUT_MS });
        if (reached) break;
      }
      if (reached) node.up = true;
      else stillPending.push(node);
    }
    pending = stillPending;
    if (pending.length > 0) await sleep(POLLING_INTERVAL_MS);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
