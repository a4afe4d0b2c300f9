import { describeJob } from '../src';

describe('describeJob: the one line Bull Board shows per job', () => {
  it('names cluster, node, generation and the step a node job is in', () => {
    const job = { name: 'node-start', data: { v: 1, cluster: 'demo', generation: 2, node: 'compute003' }, progress: { step: 'launched', instanceId: 'i-0abc' } };
    expect(describeJob(job)).toBe('node-start · demo/compute003 · gen 2 · launched');
  });

  it('shows the probe round of a probe that is waiting for SSH', () => {
    const job = { name: 'node-probe', data: { v: 1, cluster: 'demo', generation: 1, node: 'frontend001', round: 3 }, progress: { step: 'probing', host: '127.0.1.1', round: 3 } };
    expect(describeJob(job)).toBe('node-probe · demo/frontend001 · gen 1 · round 3 · probing');
  });

  it('shows a cluster job without a node, and without a step before the worker reported one', () => {
    expect(describeJob({ name: 'cluster-coordinator', data: { v: 1, cluster: 'demo', generation: 1, runSetup: true, sweep: 0 }, progress: 0 })).toBe(
      'cluster-coordinator · demo · gen 1',
    );
    expect(describeJob({ name: 'cluster-stop', data: { v: 1, cluster: 'demo', generation: 1, force: false, sweep: 2 }, progress: { step: 'terminating' } })).toBe(
      'cluster-stop · demo · gen 1 · sweep 2 · terminating',
    );
  });

  it('does not repeat what a readable job name already says', () => {
    const start = { name: 'start demo/compute003', data: { v: 1, cluster: 'demo', generation: 2, node: 'compute003', kind: 'compute' }, progress: { step: 'launching' } };
    expect(describeJob(start)).toBe('start demo/compute003 · gen 2 · launching');
    const coordinator = { name: 'coordinate demo gen 1', data: { v: 1, cluster: 'demo', generation: 1, runSetup: true, sweep: 0 }, progress: { step: 'deciding' } };
    expect(describeJob(coordinator)).toBe('coordinate demo gen 1 · deciding');
  });

  it('falls back to the plain job name for data it does not understand', () => {
    expect(describeJob({ name: 'node-start', data: { cluster: 42 } })).toBe('node-start');
    expect(describeJob({ name: 'node-start', data: null })).toBe('node-start');
    expect(describeJob({ data: 'text' })).toBe('');
  });
});
