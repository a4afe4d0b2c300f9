import { Cluster, planGrowth } from '@elastiq/core';
import { waitForJob } from '@elastiq/queue';
import { isOneLineRefusal, spawnCli, writeCliConfig } from './chaos-cli';
import { nodesOnLiveInstances, type RunContext, type Scenario, sleep } from './scenario';
import { TcpProxy } from './tcp-proxy';

// The scenarios of issue 14. Every random moment and victim comes from the run's seed.

/** `count` SIGKILLs of random workers, each at a random moment within `windowMs` of the last. */
async function killWorkers(run: RunContext, count: number, windowMs: number): Promise<void> {
  for (let kill = 0; kill < count; kill += 1) {
    const after = run.random.int(0, windowMs);
    await sleep(after);
    const victim = run.fleet.randomWorker(run.random);
    run.events.push(`SIGKILL worker ${victim} after ${after} ms`);
    await run.fleet.killWorker(victim);
  }
}

const ready = (status: string) => status === 'ready';

export const SCENARIOS: Scenario[] = [
  {
    name: 'sigkill-start',
    what: '3 SIGKILLs of random workers at random moments of a start (RunInstances answers in 1 s)',
    fleet: { simFaults: { latencyMs: { RunInstances: 1000 } } },
    duringStart: (run) => killWorkers(run, 3, 2500),
  },
  {
    name: 'sigkill-resize',
    what: 'a resize adding 3 nodes, with 2 SIGKILLs of random workers during it',
    fleet: { simFaults: { latencyMs: { RunInstances: 1000 } } },
    async afterStart(run, settled) {
      if (!ready(settled.status)) return 0;
      const added = planGrowth(Cluster.fromDict(settled), [{ kind: 'compute', count: 3 }], () => undefined);
      await run.fleet.producer.growCluster({ name: run.name, add: added.map((node) => node.toDict()), min: { compute: 3 }, runSetup: false, summary: '+3 compute' });
      await Promise.all([run.fleet.waitForRecord(run.name, (cluster) => cluster.status !== 'resizing', 180_000), killWorkers(run, 2, 2500)]);
      return 3;
    },
    judge: (run, record, instances) => (record.status === 'ready' ? nodesOnLiveInstances(record, instances, run.nodes + 3, run.nodes + 3) : `status ${record.status}, expected ready`),
  },
  {
    name: 'sigkill-setup',
    what: 'an Ansible setup, with a SIGKILL of a random worker at a random moment of it',
    cluster: { setup: true },
    async duringStart(run) {
      await run.fleet.waitForRecord(run.name, (cluster) => cluster.status !== 'starting', 180_000);
      await killWorkers(run, 1, 3000);
    },
    judge(run, record, instances) {
      const notOk = Object.values(record.nodes).flat().filter((node) => node.setupStatus !== 'ok');
      if (record.status === 'ready' && notOk.length > 0) return `ready, but setup is not ok on ${notOk.map((node) => node.name).join(', ')}`;
      return record.status === 'ready' ? nodesOnLiveInstances(record, instances, run.nodes, run.nodes) : `status ${record.status} (${record.statusReason}), expected ready`;
    },
  },
  {
    name: 'sigkill-stop',
    what: 'a stop, with 2 SIGKILLs of random workers during it (TerminateInstances answers in 500 ms)',
    fleet: { simFaults: { latencyMs: { TerminateInstances: 500 } } },
    duringStop: (run) => killWorkers(run, 2, 1500),
  },
  redisCrash('redis-crash-always', 'Redis SIGKILLed at a random moment of a start and restarted from its AOF (appendfsync always) after 1 s', 'always'),
  redisCrash('redis-crash-everysec', 'the same with appendfsync everysec (a crash may lose the last second of writes)', 'everysec'),
  {
    name: 'redis-frozen-20s',
    what: 'Redis frozen for 20 s (SIGSTOP, SIGCONT) at a random moment of a start',
    async duringStart(run) {
      const after = run.random.int(500, 3000);
      await sleep(after);
      run.events.push(`redis SIGSTOP after ${after} ms, SIGCONT 20 s later`);
      await run.fleet.freezeRedis(20_000);
    },
  },
  {
    name: 'producer-redis-cut',
    what: "`elastiq start` whose own link to Redis is cut for 10 s while the workers run: it must still report ready, exit 0",
    async start(run) {
      const proxy = await TcpProxy.start(() => run.fleet.redis.port);
      const config = await writeCliConfig(run.fleet, run.nodes);
      const cli = await spawnCli(run.fleet, config, ['start', 'chaos', '-n', run.name, '--no-setup', '--json'], proxy.url('redis'));
      await run.fleet.waitForRecord(run.name, () => true, 60_000);
      const after = run.random.int(0, 2000);
      await sleep(after);
      run.events.push(`CLI's Redis link cut after ${after} ms for 10 s`);
      await proxy.cut(10_000);
      const result = await cli.result;
      await proxy.close();
      run.events.push(`CLI exit ${result.code}`);
      if (result.code !== 0) run.problems.push(`the CLI exited ${result.code} for a start the workers went on with: ${result.output.trim().slice(-400)}`);
    },
  },
  {
    name: 'cloud-throttle-30',
    what: '30 % of every EC2 call answered RequestLimitExceeded',
    fleet: { simFaults: { errorRates: { '*': { rate: 0.3, code: 'RequestLimitExceeded' } } } },
  },
  {
    name: 'cloud-5xx-5',
    what: '5 % of every EC2 call answered with a 5xx (InternalError)',
    fleet: { simFaults: { errorRates: { '*': { rate: 0.05, code: 'InternalError' } } } },
  },
  {
    name: 'cloud-latency',
    what: 'every EC2 call answered 400 ms late, RunInstances 2 s late',
    fleet: { simFaults: { latencyMs: { '*': 400, RunInstances: 2000 } } },
  },
  {
    name: 'cloud-api-outage',
    what: "the cloud's API unreachable for 5 s (connections dropped, new ones refused) at a random moment of a start",
    async duringStart(run) {
      const after = run.random.int(300, 3000);
      await sleep(after);
      run.events.push(`cloud API cut after ${after} ms for 5 s`);
      await run.fleet.cloudApi.cut(5000);
    },
  },
  {
    name: 'cloud-sim-restart',
    what: 'cloud-sim SIGKILLed (its SSH servers with it) at a random moment of a start and started again on its kept state after 1 s',
    async duringStart(run) {
      const after = run.random.int(300, 3000);
      await sleep(after);
      run.events.push(`cloud-sim SIGKILL after ${after} ms, back 1 s later`);
      await run.fleet.sim.restart(1000);
    },
  },
  {
    name: 'instances-die',
    what: 'one instance dies (terminated by the cloud) 0-3 s after it boots; an `update` follows the start',
    cluster: { frontendMin: 0, computeMin: 1 },
    async start(run, cluster) {
      await run.fleet.sim.setFaults({ dieAfter: { count: 1, afterMs: run.random.int(0, 3000), terminate: true } });
      await run.fleet.producer.startCluster({ cluster, cloud: run.fleet.cloud, runSetup: false });
    },
    async afterStart(run, settled) {
      if (settled.status !== 'ready' && settled.status !== 'degraded') return 0;
      // Let the dying instance die, then ask the fleet what is left (what `elastiq update` does).
      await sleep(4000);
      const { jobId } = await run.fleet.producer.updateCluster(run.name);
      await waitForJob(run.fleet.producer.queues.clusterUpdate, jobId, { timeoutMs: 60_000 });
      return 0;
    },
    judge(run, record, instances) {
      if (record.status !== 'degraded') return `status ${record.status}, expected degraded (one instance died)`;
      return nodesOnLiveInstances(record, instances, run.nodes - 1, run.nodes - 1);
    },
  },
  {
    name: 'never-booting',
    // The faults hit the next instances launched, the frontend among them as likely as not: its
    // min is 0 so that either way the cluster is degraded, not failed.
    what: '2 instances never answer SSH (min 0 frontends, 2 computes; start_timeout 20 s): degraded, those 2 terminated',
    fleet: { simFaults: { neverSshReady: { count: 2 } } },
    cluster: { frontendMin: 0, computeMin: 2, startTimeout: 20 },
    judge(run, record, instances) {
      if (record.status !== 'degraded') return `status ${record.status}, expected degraded`;
      return nodesOnLiveInstances(record, instances, run.nodes - 2, run.nodes - 2);
    },
  },
  {
    name: 'producer-killed',
    what: '`elastiq start` SIGKILLed right after it enqueued, then run again by the user',
    async start(run) {
      const config = await writeCliConfig(run.fleet, run.nodes);
      const first = await spawnCli(run.fleet, config, ['start', 'chaos', '-n', run.name, '--no-setup']);
      const after = run.random.int(0, 300);
      await run.fleet.waitForRecord(run.name, () => true, 60_000);
      await sleep(after);
      await first.process.stop('SIGKILL');
      run.events.push(`CLI SIGKILLed ${after} ms after the record appeared`);
      const again = await spawnCli(run.fleet, config, ['start', 'chaos', '-n', run.name, '--no-setup']);
      const result = await again.result;
      run.events.push(`second CLI exit ${result.code}`);
      // Either it found the start in progress and said so in one line, or it finished it.
      if (result.code !== 0 && !isOneLineRefusal(result.output)) run.problems.push(`the second CLI failed without a one-line reason: ${result.output.slice(-400)}`);
    },
  },
  {
    name: 'two-clis-one-name',
    what: 'two `elastiq start` of the same name at once: one starts it, the other follows that start (or is refused in one line)',
    async start(run) {
      const config = await writeCliConfig(run.fleet, run.nodes);
      const clis = await Promise.all([0, 1].map(() => spawnCli(run.fleet, config, ['start', 'chaos', '-n', run.name, '--no-setup'])));
      const results = await Promise.all(clis.map((cli) => cli.result));
      run.events.push(`CLI exits ${results.map((result) => result.code).join(', ')}`);
      // A start of a name being started never starts it again: it follows it (exit 0) or says why not.
      const began = results.filter((result) => /Starting cluster `/.test(result.output));
      const others = results.filter((result) => !began.includes(result));
      const fine = (result: { code: number; output: string }) =>
        result.code === 0 ? /already in progress[^\n]*following it/.test(result.output) : isOneLineRefusal(result.output);
      if (began.length !== 1 || began[0].code !== 0 || !others.every(fine)) {
        run.problems.push(`expected one start and one follower (or one-line refusal), got ${results.map((result) => `${result.code}: ${result.output.trim().slice(-300)}`).join(' | ')}`);
      }
    },
  },
];

function redisCrash(name: string, what: string, appendfsync: 'always' | 'everysec'): Scenario {
  return {
    name,
    what,
    fleet: { appendfsync },
    async duringStart(run) {
      const after = run.random.int(500, 4000);
      await sleep(after);
      run.events.push(`redis SIGKILL after ${after} ms`);
      await run.fleet.crashRedis(1000);
    },
  };
}
