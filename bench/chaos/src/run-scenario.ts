import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterDict } from '@elastiq/core';
import { waitFor } from '@elastiq/testing';
import type { ChaosInstance } from './chaos-cloud-sim';
import { ChaosFleet } from './chaos-fleet';
import { seededRandom } from './random';
import { allUp, type RunContext, SETTLED, type Scenario } from './scenario';

// One run of one scenario, the same way for all: a fresh fleet, the start (with the scenario's
// faults), its optional next step, a stop (with its faults), and then the verdict from
// cloud-sim's own inventory — never from what elastiq says about itself.

export interface RunOutcome {
  scenario: string;
  run: number;
  seed: number;
  correct: boolean;
  /** Why not, when not correct. */
  reason: string | null;
  /** Instances launched beyond one per node the run asked for. */
  duplicates: number;
  /** Instances of the cluster not terminated once the stop was done. */
  leaks: number;
  /** 1 when the cluster record vanished before the stop (or was never written). */
  lostRecords: number;
  startMs: number;
  stopMs: number;
  events: string[];
}

export interface RunSettings {
  nodes: number;
  workers: number;
  bootDelay: string;
}

const LIVE = new Set(['pending', 'running', 'stopping', 'stopped']);
const START_WAIT_MS = 240_000;
const STOP_WAIT_MS = 150_000;

export async function runScenario(scenario: Scenario, run: number, seed: number, settings: RunSettings): Promise<RunOutcome> {
  const random = seededRandom(seed);
  const outcome: RunOutcome = { scenario: scenario.name, run, seed, correct: false, reason: null, duplicates: 0, leaks: 0, lostRecords: 0, startMs: 0, stopMs: 0, events: [] };
  const problems: string[] = [];
  const fleet = await ChaosFleet.start(
    {
      workers: settings.workers,
      seed,
      appendfsync: scenario.fleet?.appendfsync ?? 'always',
      bootDelay: scenario.fleet?.bootDelay ?? settings.bootDelay,
      simFaults: scenario.fleet?.simFaults,
    },
    `${process.pid}r${seed}`,
  );
  const name = `chaos-${scenario.name}-${run}`;
  const context: RunContext = { fleet, random, name, nodes: settings.nodes, events: outcome.events, problems };
  try {
    let expectedInstances = settings.nodes;
    const startedAt = Date.now();
    const cluster = fleet.cluster(name, {
      nodes: settings.nodes,
      frontendMin: scenario.cluster?.frontendMin,
      computeMin: scenario.cluster?.computeMin,
      startTimeout: scenario.cluster?.startTimeout ?? 120,
      setup: scenario.cluster?.setup ? await setupSection(fleet) : undefined,
    });
    await (scenario.start ? scenario.start(context, cluster) : fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: scenario.cluster?.setup ?? false }));
    const [settled] = await Promise.all([fleet.waitForRecord(name, SETTLED, START_WAIT_MS), scenario.duringStart?.(context)]);
    outcome.startMs = Date.now() - startedAt;
    if (settled === null) {
      outcome.lostRecords = 1;
      problems.push('the cluster record vanished during the start');
    } else {
      if (scenario.afterStart) expectedInstances += await scenario.afterStart(context, settled);
      const record = await fleet.waitForRecord(name, SETTLED, START_WAIT_MS);
      if (record === null) {
        outcome.lostRecords = 1;
        problems.push('the cluster record vanished after the start');
      } else {
        const verdict = await judgeWhenSettledInCloud(context, scenario, record);
        if (verdict) problems.push(verdict);
      }
    }
    const ever = await fleet.instancesOf(name);
    outcome.duplicates = Math.max(ever.length - expectedInstances, duplicatedNodeTags(ever));

    const stopAt = Date.now();
    if (outcome.lostRecords === 0) {
      await fleet.producer.stopCluster(name);
      const [gone] = await Promise.all([
        fleet.waitForRecord(name, () => false, STOP_WAIT_MS).then(
          () => true,
          (error: Error) => problems.push(`stop did not finish: ${error.message}`) && false,
        ),
        scenario.duringStop?.(context),
      ]);
      if (gone) await waitFor(async () => (await fleet.instancesOf(name)).every((instance) => instance.state === 'terminated'), { timeoutMs: 30_000 }).catch(() => undefined);
    }
    outcome.stopMs = Date.now() - stopAt;
    const notTerminated = (await fleet.instancesOf(name)).filter((instance) => instance.state !== 'terminated');
    outcome.leaks = notTerminated.length;
    if (outcome.leaks > 0) problems.push(`not terminated after the stop: ${notTerminated.map((instance) => `${instance.instanceId} (${instance.state})`).join(', ')}`);
    if (outcome.duplicates > 0) problems.push(`${ever.length} instances launched for ${expectedInstances} nodes`);
    problems.push(...fleet.unexpectedExits);
  } catch (error) {
    problems.push(`run aborted: ${(error as Error).message}`);
  } finally {
    await fleet.close().catch((error: Error) => problems.push(`fleet did not close: ${error.message}`));
  }
  outcome.correct = problems.length === 0;
  outcome.reason = problems.length === 0 ? null : problems.join('; ');
  return outcome;
}

/**
 * The verdict once the cloud agrees with the record: nodes dropped by a degraded start are
 * terminated asynchronously, so an instance outside the record may live for a moment; the
 * judge gets up to 20 s for the cloud to settle before it rules.
 */
async function judgeWhenSettledInCloud(run: RunContext, scenario: Scenario, record: ClusterDict): Promise<string | null> {
  const judge = scenario.judge ?? ((context: RunContext, settled: ClusterDict, instances: ChaosInstance[]) => allUp(context, settled, instances));
  const recorded = new Set(Object.values(record.nodes).flat().map((node) => node.instanceId));
  let verdict: string | null = 'not judged';
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const instances = await run.fleet.instancesOf(run.name);
    const orphans = instances.filter((instance) => LIVE.has(instance.state) && !recorded.has(instance.instanceId));
    verdict = judge(run, record, instances) ?? (orphans.length > 0 ? `live instances outside the record: ${orphans.map((instance) => instance.instanceId).join(', ')}` : null);
    if (verdict === null) return null;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return verdict;
}

function duplicatedNodeTags(instances: ChaosInstance[]): number {
  const perNode = new Map<string, number>();
  for (const instance of instances) {
    const node = instance.tags['elastiq:node'];
    if (node) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  return [...perNode.values()].reduce((sum, count) => sum + count - 1, 0);
}

async function setupSection(fleet: ChaosFleet): Promise<Record<string, unknown>> {
  const playbook = join(fleet.scratchDir, 'site.yml');
  await writeFile(
    playbook,
    ['- hosts: all', '  gather_facts: false', '  tasks:', '    - name: Leave a mark', '      ansible.builtin.copy:', '        dest: "~/configured"', '        content: "{{ inventory_hostname }}\\n"', ''].join('\n'),
  );
  return { name: 'chaos', provider: 'ansible', playbook_path: playbook };
}
