import type { StartRunResult } from './run-metrics';
import type { ResizeRunResult } from './resize-run';

// The human half of the output: Markdown tables (they read fine in a terminal and paste into
// docs/performance.md as they are).

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

function markdownTable(header: string[], rows: string[][]): string {
  const lines = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  return lines.join('\n');
}

export function summaryTable(runs: StartRunResult[]): string {
  return markdownTable(
    ['run', 'N', 'workers', 'cloud-sim runtime', 'up', 'time to ready s', 'floor s', 'ratio', 'decision delay ms', 'EC2 calls/node (start+stop)', 'throttled', 'peak RSS per worker MB', 'stop s'],
    runs.map((run) => [
      run.label,
      String(run.nodes),
      run.workers === null ? '1 process' : String(run.workers),
      run.runtime,
      `${run.nodesUp}/${run.nodes}`,
      seconds(run.timeToReadyMs),
      seconds(run.floorMs),
      fixed(run.ratio, 2),
      String(Math.round(run.decisionDelayMs)),
      fixed(run.callsPerNode, 2),
      String(run.startCalls.throttled + run.stopCalls.throttled),
      run.peakWorkerRssMb.length === 0 ? 'n/a (in-process)' : run.peakWorkerRssMb.map((mb) => fixed(mb, 0)).join(', '),
      seconds(run.stopMs),
    ]),
  );
}

/** The stop against what no stop could avoid, the buckets' share of the floor, the CLI and Redis at that size. */
export function stopAndScaleTable(runs: StartRunResult[]): string {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return markdownTable(
    ['run', 'bucket scale', 'launch bucket-forced s', 'stop s', 'TerminateInstances bucket-forced s', 'stop request → cloud says terminated s', 'list-nodes during start ms (runs, median, max)', 'Redis used_memory_peak MB'],
    runs.map((run) => [
      run.label,
      String(run.rateLimitScale ?? 1),
      run.launchBucketForcedMs === undefined ? 'n/a' : seconds(run.launchBucketForcedMs),
      seconds(run.stopMs),
      run.stopFloor ? seconds(run.stopFloor.bucketForcedMs) : 'n/a',
      run.stopFloor?.cloudTerminatedMs == null ? 'n/a' : seconds(run.stopFloor.cloudTerminatedMs),
      run.cliListNodesMs && run.cliListNodesMs.length > 0 ? `${run.cliListNodesMs.length}, ${median(run.cliListNodesMs)}, ${Math.max(...run.cliListNodesMs)}` : 'not sampled',
      run.redisUsedMemoryPeakMb === undefined ? 'n/a' : fixed(run.redisUsedMemoryPeakMb, 0),
    ]),
  );
}

export function callsByActionTable(runs: StartRunResult[]): string {
  const actions = [...new Set(runs.flatMap((run) => [...Object.keys(run.startCalls.byAction), ...Object.keys(run.stopCalls.byAction)]))].sort();
  return markdownTable(
    ['run', ...actions.map((action) => `${action} start/stop per node`)],
    runs.map((run) => [
      run.label,
      ...actions.map((action) => {
        const start = (run.startCalls.byAction[action] ?? 0) / run.nodes;
        const stop = (run.stopCalls.byAction[action] ?? 0) / run.nodes;
        return start === 0 && stop === 0 ? '–' : `${fixed(start, 2)} / ${fixed(stop, 2)}`;
      }),
    ]),
  );
}

/** Same N, 1 → 2 → 4 worker processes: how start throughput scales. */
export function workerScalingTable(runs: StartRunResult[]): string {
  const single = runs.find((run) => run.workers === 1);
  return markdownTable(
    ['run', 'workers', 'time to ready s', 'floor s', 'nodes/s', 'speed-up vs 1 worker', 'peak RSS per worker MB'],
    runs.map((run) => [
      run.label,
      String(run.workers),
      seconds(run.timeToReadyMs),
      seconds(run.floorMs),
      fixed(run.throughputNodesPerSecond, 2),
      single ? fixed(run.throughputNodesPerSecond / single.throughputNodesPerSecond, 2) : 'n/a',
      run.peakWorkerRssMb.map((mb) => fixed(mb, 0)).join(', '),
    ]),
  );
}

/** Where each start spent its time, seconds after the start request. */
export function phasesTable(runs: StartRunResult[]): string {
  const at = (ms: number | null) => (ms === null ? 'n/a' : seconds(ms));
  return markdownTable(
    ['run', 'first launch', 'last launch', 'last running', 'last SSH-ready', 'last node reported up¹', 'decided', 'ready'],
    runs.map((run) => [
      run.label,
      at(run.phases.firstLaunch),
      at(run.phases.lastLaunch),
      at(run.phases.lastRunning),
      at(run.phases.lastSshReady),
      at(run.phases.lastNodeReported),
      at(run.phases.decided),
      at(run.phases.ready),
    ]),
  );
}

/** A growth next to a fresh start of as many nodes, measured in the same run. */
export function resizeTable(grown: ResizeRunResult[], fresh: StartRunResult[]): string {
  const rows = [
    ...grown.map((run) => [
      run.label,
      `+${run.addedNodes} on ${run.baseNodes}`,
      `${run.addedUp}/${run.addedNodes}${run.existingUntouched ? '' : ' (existing nodes changed!)'}`,
      seconds(run.timeToReadyMs),
      seconds(run.floorMs),
      fixed(run.ratio, 2),
      String(Math.round(run.decisionDelayMs)),
      fixed(run.callsPerAddedNode, 2),
      Object.entries(run.calls.byAction).map(([action, calls]) => `${action} ${calls}`).join(', '),
      String(run.calls.throttled),
    ]),
    ...fresh.map((run) => [
      run.label,
      `fresh ${run.nodes}`,
      `${run.nodesUp}/${run.nodes}`,
      seconds(run.timeToReadyMs),
      seconds(run.floorMs),
      fixed(run.ratio, 2),
      String(Math.round(run.decisionDelayMs)),
      fixed(run.startCalls.total / run.nodes, 2),
      Object.entries(run.startCalls.byAction).map(([action, calls]) => `${action} ${calls}`).join(', '),
      String(run.startCalls.throttled),
    ]),
  ];
  return markdownTable(['run', 'nodes', 'up', 'time to ready s', 'floor s', 'ratio', 'decision delay ms', 'EC2 calls per node (no stop)', 'calls', 'throttled'], rows);
}
