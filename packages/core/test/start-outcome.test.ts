import { decideStartOutcome, type NodeStartOutcome, type StartOutcomeInput } from '@elastiq/core';

type Node = StartOutcomeInput['nodes'][number];

/** nodes('compute', 'up', 'failed') → compute001 up, compute002 failed */
function nodes(kind: string, ...outcomes: NodeStartOutcome[]): Node[] {
  return outcomes.map((outcome, i) => ({ name: `${kind}${String(i + 1).padStart(3, '0')}`, kind, outcome }));
}

const slurm = { frontend: { wanted: 1, min: 1 }, compute: { wanted: 4, min: 2 } };

describe('decideStartOutcome', () => {
  describe('ready', () => {
    it('is ready at once when every node is up, keeping all', () => {
      const outcome = decideStartOutcome({
        kinds: slurm,
        nodes: [...nodes('frontend', 'up'), ...nodes('compute', 'up', 'up', 'up', 'up')],
        deadlinePassed: false,
      });
      expect(outcome).toEqual({
        decision: 'ready',
        keep: ['frontend001', 'compute001', 'compute002', 'compute003', 'compute004'],
        drop: [],
        perKind: {
          frontend: { wanted: 1, min: 1, up: 1, pending: 0, down: 0, failed: 0 },
          compute: { wanted: 4, min: 2, up: 4, pending: 0, down: 0, failed: 0 },
        },
        reasons: ['all 5 nodes up'],
      });
    });

    it('is still ready when the last node comes up exactly at the deadline', () => {
      const outcome = decideStartOutcome({ kinds: { compute: { wanted: 1, min: 1 } }, nodes: nodes('compute', 'up'), deadlinePassed: true });
      expect(outcome.decision).toBe('ready');
    });
  });

  describe('before the deadline', () => {
    it('fails now, without waiting, when a kind can no longer reach min_nodes, and drops every node', () => {
      const outcome = decideStartOutcome({
        kinds: slurm,
        nodes: [
          ...nodes('frontend', 'pending'),
          { name: 'compute001', kind: 'compute', outcome: 'up' },
          { name: 'compute002', kind: 'compute', outcome: 'failed', reason: 'InstanceLimitExceeded: limit 2' },
          { name: 'compute003', kind: 'compute', outcome: 'failed', reason: 'InstanceLimitExceeded: limit 2' },
          { name: 'compute004', kind: 'compute', outcome: 'failed', reason: 'InstanceLimitExceeded: limit 2' },
        ],
        deadlinePassed: false,
      });
      expect(outcome.decision).toBe('failed');
      expect(outcome.keep).toEqual([]);
      expect(outcome.drop).toEqual(['frontend001', 'compute001', 'compute002', 'compute003', 'compute004']);
      expect(outcome.perKind.compute).toEqual({ wanted: 4, min: 2, up: 1, pending: 0, down: 0, failed: 3 });
      expect(outcome.reasons).toEqual([
        'frontend: 0 up of 1, min_nodes 1, 1 pending',
        'compute: 1 up of 4, min_nodes 2; compute002 failed: InstanceLimitExceeded: limit 2; ' +
          'compute003 failed: InstanceLimitExceeded: limit 2; compute004 failed: InstanceLimitExceeded: limit 2',
      ]);
    });

    it('waits while the minimum is still reachable and something is pending, terminating nothing yet', () => {
      const outcome = decideStartOutcome({
        kinds: slurm,
        nodes: [...nodes('frontend', 'up'), ...nodes('compute', 'up', 'failed', 'pending', 'pending')],
        deadlinePassed: false,
      });
      expect(outcome.decision).toBe('wait');
      expect(outcome.drop).toEqual([]);
      expect(outcome.keep).toHaveLength(5);
      expect(outcome.reasons).toEqual(['compute: 1 up of 4, min_nodes 2, 2 pending; compute002 failed']);
    });

    it('decides at once when nothing is pending any more: degraded keeps the up nodes and drops the rest', () => {
      const compute = nodes('compute', 'up', 'down', 'up', 'failed');
      compute[1].reason = 'connection refused';
      const outcome = decideStartOutcome({
        kinds: slurm,
        nodes: [...nodes('frontend', 'up'), ...compute],
        deadlinePassed: false,
      });
      expect(outcome.decision).toBe('degraded');
      expect(outcome.keep).toEqual(['frontend001', 'compute001', 'compute003']);
      expect(outcome.drop).toEqual(['compute002', 'compute004']);
      expect(outcome.reasons).toEqual(['compute: 2 up of 4, min_nodes 2; compute002 down: connection refused; compute004 failed']);
    });

    it('fails at once when nothing is pending and a kind is below min_nodes', () => {
      const outcome = decideStartOutcome({
        kinds: slurm,
        nodes: [...nodes('frontend', 'failed'), ...nodes('compute', 'up', 'up', 'up', 'up')],
        deadlinePassed: false,
      });
      expect(outcome.decision).toBe('failed');
      expect(outcome.drop).toHaveLength(5);
      expect(outcome.reasons).toEqual(['frontend: 0 up of 1, min_nodes 1; frontend001 failed']);
    });
  });

  describe('at the deadline', () => {
    it('counts pending nodes as down: degraded when every kind still has min_nodes up', () => {
      const outcome = decideStartOutcome({
        kinds: slurm,
        nodes: [...nodes('frontend', 'up'), ...nodes('compute', 'up', 'up', 'pending', 'pending')],
        deadlinePassed: true,
      });
      expect(outcome.decision).toBe('degraded');
      expect(outcome.keep).toEqual(['frontend001', 'compute001', 'compute002']);
      expect(outcome.drop).toEqual(['compute003', 'compute004']);
      expect(outcome.perKind.compute).toEqual({ wanted: 4, min: 2, up: 2, pending: 0, down: 2, failed: 0 });
      expect(outcome.reasons).toEqual([
        'compute: 2 up of 4, min_nodes 2; compute003 down: not up before the deadline; compute004 down: not up before the deadline',
      ]);
    });

    it('counts pending nodes as down: failed when a kind falls below min_nodes, keeping the last probe error', () => {
      const compute = nodes('compute', 'up', 'pending', 'pending', 'pending');
      compute[1].reason = 'ssh: authentication failed';
      const outcome = decideStartOutcome({ kinds: slurm, nodes: [...nodes('frontend', 'up'), ...compute], deadlinePassed: true });
      expect(outcome.decision).toBe('failed');
      expect(outcome.keep).toEqual([]);
      expect(outcome.drop).toHaveLength(5);
      expect(outcome.reasons[0]).toBe(
        'compute: 1 up of 4, min_nodes 2; compute002 down: not up before the deadline (ssh: authentication failed); ' +
          'compute003 down: not up before the deadline; compute004 down: not up before the deadline',
      );
    });
  });

  describe('min_nodes 0', () => {
    it('never fails the start because of that kind, even when all its nodes failed', () => {
      const outcome = decideStartOutcome({
        kinds: { frontend: { wanted: 1, min: 1 }, gpu: { wanted: 2, min: 0 } },
        nodes: [...nodes('frontend', 'up'), ...nodes('gpu', 'failed', 'failed')],
        deadlinePassed: false,
      });
      expect(outcome.decision).toBe('degraded');
      expect(outcome.keep).toEqual(['frontend001']);
      expect(outcome.drop).toEqual(['gpu001', 'gpu002']);
      expect(outcome.reasons).toEqual(['gpu: 0 up of 2, min_nodes 0; gpu001 failed; gpu002 failed']);
    });

    it('still waits for its pending nodes before the deadline', () => {
      const outcome = decideStartOutcome({
        kinds: { frontend: { wanted: 1, min: 1 }, gpu: { wanted: 2, min: 0 } },
        nodes: [...nodes('frontend', 'up'), ...nodes('gpu', 'pending', 'failed')],
        deadlinePassed: false,
      });
      expect(outcome.decision).toBe('wait');
    });

    it('fails a start in which no node at all came up, even if every min_nodes is 0', () => {
      const outcome = decideStartOutcome({
        kinds: { compute: { wanted: 2, min: 0 } },
        nodes: nodes('compute', 'failed', 'down'),
        deadlinePassed: false,
      });
      expect(outcome.decision).toBe('failed');
      expect(outcome.drop).toEqual(['compute001', 'compute002']);
      expect(outcome.reasons).toEqual(['no node came up', 'compute: 0 up of 2, min_nodes 0; compute001 failed; compute002 down']);
    });
  });

  describe('edge cases', () => {
    it('fails when a kind with a minimum has all its nodes failed, whatever the other kinds do', () => {
      const outcome = decideStartOutcome({
        kinds: slurm,
        nodes: [...nodes('frontend', 'up'), ...nodes('compute', 'failed', 'failed', 'failed', 'failed')],
        deadlinePassed: false,
      });
      expect(outcome.decision).toBe('failed');
      expect(outcome.perKind.compute.failed).toBe(4);
    });

    it('is degraded, not ready, when fewer nodes than wanted exist even though all of them are up', () => {
      const outcome = decideStartOutcome({
        kinds: slurm,
        nodes: [...nodes('frontend', 'up'), ...nodes('compute', 'up', 'up', 'up')],
        deadlinePassed: false,
      });
      expect(outcome.decision).toBe('degraded');
      expect(outcome.drop).toEqual([]);
      expect(outcome.reasons).toEqual(['compute: 3 up of 4, min_nodes 2']);
    });

    it('is ready for an empty cluster that wants nothing', () => {
      expect(decideStartOutcome({ kinds: {}, nodes: [], deadlinePassed: false }).decision).toBe('ready');
    });

    it('gives the same answer when asked twice (the coordinator may decide again after a crash)', () => {
      const input: StartOutcomeInput = {
        kinds: slurm,
        nodes: [...nodes('frontend', 'up'), ...nodes('compute', 'up', 'pending', 'failed', 'up')],
        deadlinePassed: true,
      };
      const frozen = JSON.stringify(input);
      expect(decideStartOutcome(input)).toEqual(decideStartOutcome(input));
      expect(JSON.stringify(input)).toBe(frozen);
    });

    it('refuses a node of a kind that is not in kinds (a caller bug)', () => {
      expect(() => decideStartOutcome({ kinds: slurm, nodes: nodes('login', 'up'), deadlinePassed: false })).toThrow(
        /login001 has kind login, which is not in kinds/,
      );
    });
  });
});
