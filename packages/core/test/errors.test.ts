import {
  CloudError,
  ClusterExists,
  ClusterNotFound,
  ConcurrentModification,
  ConfigurationError,
  ElastiqError,
  HostKeyMismatch,
  InvalidJobPayload,
  NodeNotFound,
  SetupError,
} from '@elastiq/core';

describe('error hierarchy', () => {
  it('makes every error an ElastiqError (and an Error) named after its class', () => {
    const errors: ElastiqError[] = [
      new ConfigurationError('x'),
      new ClusterNotFound('c'),
      new ClusterExists('c'),
      new NodeNotFound('n'),
      new ConcurrentModification('c', 1, 2),
      new CloudError('Throttling', 'slow down', { retryable: true }),
      new HostKeyMismatch('n', 'SHA256:a', 'SHA256:b'),
      new SetupError('s'),
      new InvalidJobPayload('start-node', ['v: required']),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(ElastiqError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(error.constructor.name);
      expect(error.exitCode).toBeGreaterThan(0);
      // configuration and cloud errors get a hint from whoever knows the cause; the others have a default
      if (!(error instanceof ConfigurationError || error instanceof CloudError)) expect(error.hint).toEqual(expect.any(String));
    }
  });

  it('prints the message and the hint on one line', () => {
    const error = new ElastiqError('no such template `slurm`', { hint: 'run `elastiq list-templates`' });
    expect(error.toUserLine()).toBe('no such template `slurm` (run `elastiq list-templates`)');
    expect(new ElastiqError('plain').toUserLine()).toBe('plain');
    expect(new ElastiqError('plain').exitCode).toBe(1);
  });

  it('keeps the cause', () => {
    const cause = new Error('socket closed');
    expect(new ElastiqError('probe failed', { cause }).cause).toBe(cause);
  });
});

describe('ConfigurationError', () => {
  it('puts file, section and key in front of the problem', () => {
    const error = new ConfigurationError('must be an integer, got `two`', {
      file: '/etc/elastiq/config',
      section: 'cluster/slurm',
      key: 'compute_nodes',
      hint: 'write a whole number, e.g. compute_nodes=2',
    });
    expect(error.message).toBe('/etc/elastiq/config [cluster/slurm] compute_nodes: must be an integer, got `two`');
    expect(error.problem).toBe('must be an integer, got `two`');
    expect([error.file, error.section, error.key]).toEqual(['/etc/elastiq/config', 'cluster/slurm', 'compute_nodes']);
    expect(error.exitCode).toBe(78);
  });

  it('says only what is known about the location', () => {
    expect(new ConfigurationError('missing', { key: 'ssh_to' }).message).toBe('ssh_to: missing');
    expect(new ConfigurationError('no config file found').message).toBe('no config file found');
  });
});

describe('the errors that carry data for the caller', () => {
  it('ConcurrentModification names the cluster and both revisions', () => {
    const error = new ConcurrentModification('slurm', 3, 4);
    expect(error.message).toBe('cluster `slurm` was modified concurrently: expected revision 3, found 4');
    expect([error.clusterName, error.expectedRevision, error.actualRevision]).toEqual(['slurm', 3, 4]);
    expect(new ConcurrentModification('slurm', null, 1).message).toMatch(/expected revision none \(no record\), found 1/);
    expect(error.exitCode).toBe(75);
  });

  it('CloudError keeps the cloud code and whether to retry', () => {
    const error = new CloudError('InstanceLimitExceeded', 'You have requested more instances than your limit', {
      retryable: false,
    });
    expect(error.message).toBe('InstanceLimitExceeded: You have requested more instances than your limit');
    expect([error.code, error.retryable]).toEqual(['InstanceLimitExceeded', false]);
  });

  it('HostKeyMismatch names the node and both fingerprints', () => {
    const error = new HostKeyMismatch('compute001', 'SHA256:old', 'SHA256:new');
    expect(error.message).toBe('host key of node `compute001` changed: expected SHA256:old, presented SHA256:new');
    expect([error.nodeName, error.expectedFingerprint, error.presentedFingerprint]).toEqual([
      'compute001',
      'SHA256:old',
      'SHA256:new',
    ]);
  });

  it('ClusterNotFound, ClusterExists and NodeNotFound name what was looked for', () => {
    expect(new ClusterNotFound('slurm').message).toBe('cluster `slurm` not found');
    expect(new ClusterNotFound('slurm').exitCode).toBe(66);
    expect(new ClusterExists('slurm').message).toBe('a cluster named `slurm` already exists');
    const missing = new NodeNotFound('no node `compute009` in cluster `slurm`', { clusterName: 'slurm', nodeName: 'compute009' });
    expect([missing.clusterName, missing.nodeName]).toEqual(['slurm', 'compute009']);
  });

  it('InvalidJobPayload lists every invalid field', () => {
    const error = new InvalidJobPayload('start-node', ['v: expected 1', 'cluster: required'], { jobId: 'j1' });
    expect(error.message).toBe('job `start-node` (j1) has an invalid payload: v: expected 1; cluster: required');
    expect(error.issues).toHaveLength(2);
  });

  it('SetupError lists the nodes that did not finish setup', () => {
    expect(new SetupError('playbook failed', { failedNodes: ['compute002'] }).failedNodes).toEqual(['compute002']);
  });
});
