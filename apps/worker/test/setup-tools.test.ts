import { ALL_QUEUE_KINDS } from '@elastiq/queue';
import { kindsServable } from '../src/setup-tools';

describe('the job kinds a worker serves, given whether ansible-playbook is on its PATH', () => {
  it('serves every kind asked for when ansible-playbook is there', () => {
    expect(kindsServable([...ALL_QUEUE_KINDS], { explicit: false, hasAnsiblePlaybook: true })).toEqual({ kinds: ALL_QUEUE_KINDS, leftOut: null });
  });

  it('leaves clusterSetup out of the default kinds without it, and says why', () => {
    const served = kindsServable([...ALL_QUEUE_KINDS], { explicit: false, hasAnsiblePlaybook: false });
    expect(served.kinds).toEqual(ALL_QUEUE_KINDS.filter((kind) => kind !== 'clusterSetup'));
    expect(served.leftOut).toBe('ansible-playbook is not on PATH: this worker takes no setup jobs');
  });

  it('refuses to start when ELASTIQ_WORKER_QUEUES names clusterSetup but ansible-playbook is missing', () => {
    expect(() => kindsServable(['nodeStart', 'clusterSetup'], { explicit: true, hasAnsiblePlaybook: false })).toThrow(
      /ELASTIQ_WORKER_QUEUES names clusterSetup, but ansible-playbook is not on PATH/,
    );
  });

  it('does not mind a missing ansible-playbook on a worker that serves no setup jobs', () => {
    expect(kindsServable(['nodeProbe'], { explicit: true, hasAnsiblePlaybook: false })).toEqual({ kinds: ['nodeProbe'], leftOut: null });
  });
});
