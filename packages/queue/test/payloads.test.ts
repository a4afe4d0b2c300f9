import { InvalidJobPayload } from '@elastiq/core';
import { coordinatorJobId, NodeProbePayloadSchema, NodeStartPayloadSchema, nodeStartJobId, parseJobPayload } from '../src';

describe('job payloads', () => {
  it('parses a payload of the current version', () => {
    const job = { name: 'node-start', id: 'x', data: { v: 1, cluster: 'slurm', generation: 2, node: 'compute001' } };
    expect(parseJobPayload(NodeStartPayloadSchema, job)).toEqual({ v: 1, cluster: 'slurm', generation: 2, node: 'compute001' });
  });

  it('reads node payloads with and without the kind (jobs queued by an older producer have none)', () => {
    const data = { v: 1, cluster: 'slurm', generation: 2, node: 'compute001' };
    expect(parseJobPayload(NodeStartPayloadSchema, { name: 'n', data: { ...data, kind: 'compute' } })).toEqual({ ...data, kind: 'compute' });
    expect(parseJobPayload(NodeProbePayloadSchema, { name: 'n', data })).toEqual({ ...data, round: 0 });
  });

  it('refuses a payload of another version, saying which version it reads', () => {
    const job = { name: 'node-start', id: 'start/a/1/n', data: { v: 2, cluster: 'slurm', generation: 2, node: 'compute001' } };
    expect(() => parseJobPayload(NodeStartPayloadSchema, job)).toThrow(InvalidJobPayload);
    expect(() => parseJobPayload(NodeStartPayloadSchema, job)).toThrow(/job `node-start` \(start\/a\/1\/n\) has an invalid payload: v: must be 1/);
  });

  it('names every malformed field', () => {
    const job = { name: 'node-start', data: { v: 1, cluster: '', generation: 0 } };
    const error = (() => {
      try {
        parseJobPayload(NodeStartPayloadSchema, job);
      } catch (caught) {
        return caught as InvalidJobPayload;
      }
      throw new Error('expected a failure');
    })();
    expect(error.issues.map((issue) => issue.split(':')[0])).toEqual(['cluster', 'generation', 'node']);
  });
});

describe('job ids', () => {
  it('are deterministic, contain no ":" (BullMQ refuses it) and keep odd names apart', () => {
    expect(nodeStartJobId('slurm', 3, 'compute001')).toBe('start/slurm/3/compute001');
    expect(nodeStartJobId('a:b', 1, 'n')).not.toContain(':');
    expect(nodeStartJobId('a/b', 1, 'c')).not.toBe(nodeStartJobId('a', 1, 'b/c'));
    expect(coordinatorJobId('slurm', 3)).toBe('coordinate/slurm/3');
  });
});
