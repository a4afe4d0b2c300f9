import { type Cluster, ClusterBusy, decideResumeOutcome, EXIT_CODES } from '@elastiq/core';
import { startedCluster } from './fixtures';

describe('Cluster.pause', () => {
  it('stops every instance of a started cluster under a new epoch, remembering the status to come back to', () => {
    const cluster = startedCluster('degraded');
    expect(cluster.pause()).toEqual({ epoch: 1, instanceIds: ['i-1', 'i-2', 'i-3'] });
    expect({ status: cluster.status, before: cluster.statusBeforePause }).toEqual({ status: 'pausing', before: 'degraded' });
  });

  it('leaves out a node whose instance is gone', () => {
    const cluster = startedCluster();
    cluster.getNodeByName('compute002').state = 'gone';
    expect(cluster.pause().instanceIds).toEqual(['i-1', 'i-3']);
  });

  it.each(['starting', 'setting-up', 'stopping', 'resuming', 'failed'] as const)('refuses a cluster that is %s with one line and exit 75', (status) => {
    const cluster = startedCluster(status);
    expect(() => cluster.pause()).toThrow(ClusterBusy);
    expect(() => cluster.pause()).toThrow(`cluster \`hpc\` is ${status}: only a started cluster can be paused`);
    try {
      cluster.pause();
    } catch (error) {
      expect((error as ClusterBusy).exitCode).toBe(EXIT_CODES.tempFail);
    }
    expect(cluster.status).toBe(status);
  });

  it('when finished, marks each node paused and keeps what it needs to restart', () => {
    const cluster = startedCluster();
    cluster.pause();
    cluster.pauseFinished();
    expect(cluster.status).toBe('paused');
    expect(cluster.getAllNodes().map((node) => node.state)).toEqual(['paused', 'paused', 'paused']);
    expect(cluster.pausedNodes.compute001).toEqual({ instanceId: 'i-1', ips: ['203.0.113.1'], preferredIp: '203.0.113.1' });
  });
});

describe('Cluster.resume', () => {
  function paused(): Cluster {
    const cluster = startedCluster();
    cluster.pause();
    cluster.pauseFinished();
    return cluster;
  }

  it('only resumes a paused cluster, and gives its nodes start_timeout to come back', () => {
    expect(() => startedCluster().resume(0)).toThrow('cluster `hpc` is ready: only a paused cluster can be resumed');
    try {
      startedCluster().resume(0);
    } catch (error) {
      expect((error as ClusterBusy).toUserLine()).toBe('cluster `hpc` is ready: only a paused cluster can be resumed (it is running; `elastiq pause hpc` pauses it)');
    }
    const cluster = paused();
    const plan = cluster.resume(1_000);
    expect(plan).toEqual({ epoch: 1, instanceIds: ['i-1', 'i-2', 'i-3'], nodes: ['compute001', 'compute002', 'compute003'], deadline: 1_000 + 600_000 });
    expect(cluster.startDeadline).toBe(new Date(601_000).toISOString());
  });

  it('runs setup again when a node that is back has a new address', () => {
    const cluster = paused();
    cluster.resume(0);
    const results = cluster.getAllNodes().map((node, index) => ({ name: node.name, outcome: 'up' as const, ips: [index === 1 ? '198.51.100.9' : node.ips[0]], preferredIp: index === 1 ? '198.51.100.9' : node.ips[0] }));
    const applied = cluster.resumeFinished(results, { decision: 'resumed', back: results.map((r) => r.name), notBack: [] });
    expect(applied).toMatchObject({ status: 'setting-up', runSetup: true, readdressed: ['compute002'] });
    expect(cluster.getNodeByName('compute002').connectionIp()).toBe('198.51.100.9');
  });

  it('returns to the status it was paused from when every node is back at its address', () => {
    const cluster = startedCluster('setup-failed');
    cluster.pause();
    cluster.pauseFinished();
    cluster.resume(0);
    const results = cluster.getAllNodes().map((node) => ({ name: node.name, outcome: 'up' as const, ips: node.ips, preferredIp: node.preferredIp }));
    expect(cluster.resumeFinished(results, { decision: 'resumed', back: results.map((r) => r.name), notBack: [] })).toMatchObject({ status: 'setup-failed', runSetup: false });
    expect(cluster.getAllNodes().every((node) => node.state === 'up')).toBe(true);
  });

  it('is degraded when a node was found gone while the cluster was paused', () => {
    const cluster = startedCluster();
    cluster.pause();
    cluster.getNodeByName('compute003').state = 'gone';
    cluster.pauseFinished();
    const plan = cluster.resume(0);
    expect(plan.nodes).toEqual(['compute001', 'compute002']);
    const results = plan.nodes.map((name) => ({ name, outcome: 'up' as const, ips: cluster.getNodeByName(name).ips, preferredIp: cluster.getNodeByName(name).preferredIp }));
    expect(cluster.resumeFinished(results, { decision: 'resumed', back: plan.nodes, notBack: [] }).status).toBe('degraded');
  });

  it('is degraded, naming the node, when one is not back; that node keeps its reason', () => {
    const cluster = paused();
    cluster.resume(0);
    const results = [
      { name: 'compute001', outcome: 'up' as const, ips: ['203.0.113.1'], preferredIp: '203.0.113.1' },
      { name: 'compute002', outcome: 'down' as const, reason: 'not back within start_timeout (600 s): refused' },
      { name: 'compute003', outcome: 'up' as const, ips: ['203.0.113.3'], preferredIp: '203.0.113.3' },
    ];
    const outcome = decideResumeOutcome(results, true);
    expect(outcome).toEqual({ decision: 'resumed', back: ['compute001', 'compute003'], notBack: [{ name: 'compute002', reason: 'not back within start_timeout (600 s): refused' }] });
    if (outcome.decision !== 'resumed') throw new Error('decided');
    const applied = cluster.resumeFinished(results, outcome);
    expect(applied.status).toBe('degraded');
    expect(applied.statusReason).toBe('resumed: 2 of 3 nodes back; not back: compute002: not back within start_timeout (600 s): refused');
    expect(cluster.getNodeByName('compute002')).toMatchObject({ state: 'down', lastError: 'not back within start_timeout (600 s): refused' });
  });
});

describe('decideResumeOutcome', () => {
  it('waits while a node is still being probed before the deadline', () => {
    expect(decideResumeOutcome([{ name: 'a', outcome: 'up' }, { name: 'b', outcome: 'pending' }], false)).toEqual({ decision: 'wait' });
  });

  it('at the deadline, a node still pending is not back, with its last reason', () => {
    expect(decideResumeOutcome([{ name: 'a', outcome: 'up' }, { name: 'b', outcome: 'pending', reason: 'refused' }], true)).toEqual({
      decision: 'resumed',
      back: ['a'],
      notBack: [{ name: 'b', reason: 'not back within start_timeout (refused)' }],
    });
  });
});

describe('Node.updateIps', () => {
  it('says whether the address to connect to changed, and keeps known addresses when the cloud gives none', () => {
    const node = startedCluster().getNodeByName('compute001');
    expect(node.updateIps(['203.0.113.1'], '203.0.113.1')).toBe(false);
    expect(node.updateIps([])).toBe(false);
    expect(node.ips).toEqual(['203.0.113.1']);
    expect(node.updateIps(['10.0.0.4', '198.51.100.2'])).toBe(true);
    expect(node.connectionIp()).toBe('198.51.100.2');
  });
});
