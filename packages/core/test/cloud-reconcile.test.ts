import { type ListedInstance, reconcileWithCloud } from '@elastiq/core';
import { startedCluster } from './fixtures';

const listed = (instanceId: string, state: ListedInstance['state'], ip: string | null, tags: Record<string, string> = { 'elastiq:cluster': 'hpc' }): ListedInstance => ({
  instanceId,
  state,
  privateIp: ip,
  publicIp: state === 'running' ? ip : null,
  tags,
});

describe('reconcileWithCloud (elastiq update)', () => {
  it('changes nothing when the cloud agrees with the record', () => {
    const cluster = startedCluster();
    const report = reconcileWithCloud(cluster, [listed('i-1', 'running', '203.0.113.1'), listed('i-2', 'running', '203.0.113.2'), listed('i-3', 'running', '203.0.113.3')]);
    expect(report).toEqual({ changes: [], gone: [], strays: [] });
    expect(cluster.status).toBe('ready');
  });

  it('marks a node whose instance was terminated outside elastiq, or is no longer listed, gone with the reason; the cluster is degraded', () => {
    const cluster = startedCluster();
    const report = reconcileWithCloud(cluster, [listed('i-1', 'running', '203.0.113.1'), listed('i-2', 'terminated', null)]);
    expect(report.gone).toEqual([
      { node: 'compute002', reason: 'instance i-2 is terminated: terminated outside elastiq' },
      { node: 'compute003', reason: 'instance i-3 is no longer listed by the cloud (terminated outside elastiq)' },
    ]);
    expect(cluster.getNodeByName('compute002')).toMatchObject({ state: 'gone', lastError: 'instance i-2 is terminated: terminated outside elastiq' });
    expect({ status: cluster.status, reason: cluster.statusReason }).toEqual({ status: 'degraded', reason: 'update: compute002 gone, compute003 gone' });
  });

  it('takes new addresses and stopped states from the listing, but never calls a node up that SSH has not proven', () => {
    const cluster = startedCluster();
    cluster.getNodeByName('compute003').state = 'down';
    const report = reconcileWithCloud(cluster, [listed('i-1', 'running', '198.51.100.1'), listed('i-2', 'stopped', '203.0.113.2'), listed('i-3', 'running', '203.0.113.3')]);
    expect(report.changes).toEqual([
      { node: 'compute001', from: 'up', to: 'up', addressChanged: true },
      { node: 'compute002', from: 'up', to: 'paused', addressChanged: false },
      { node: 'compute003', from: 'down', to: 'running', addressChanged: false },
    ]);
    expect(cluster.getNodeByName('compute001').connectionIp()).toBe('198.51.100.1');
  });

  it('lists instances that carry the cluster tag but belong to no node as strays, ignoring terminated ones', () => {
    const cluster = startedCluster();
    const strays = reconcileWithCloud(cluster, [
      listed('i-1', 'running', '203.0.113.1'),
      listed('i-2', 'running', '203.0.113.2'),
      listed('i-3', 'running', '203.0.113.3'),
      listed('i-9', 'running', '203.0.113.9', { 'elastiq:cluster': 'hpc', 'elastiq:generation': '1', 'elastiq:node': 'compute004' }),
      listed('i-8', 'terminated', null),
    ]).strays;
    expect(strays).toEqual([{ instanceId: 'i-9', state: 'running', node: 'compute004', generation: '1', ip: '203.0.113.9' }]);
  });

  it('leaves nodes that elastiq itself is terminating alone', () => {
    const cluster = startedCluster();
    cluster.getNodeByName('compute001').state = 'terminating';
    expect(reconcileWithCloud(cluster, [listed('i-2', 'running', '203.0.113.2'), listed('i-3', 'running', '203.0.113.3')]).gone).toEqual([]);
  });
});
