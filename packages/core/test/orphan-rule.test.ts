import {
  type ClusterDict,
  ClusterDictSchema,
  claimedInstances,
  formatDuration,
  type GenerationFacts,
  judgeInstance,
  type NodeState,
  type OrphanContext,
  parseDuration,
  type TaggedInstance,
} from '@elastiq/core';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const MINUTE = 60_000;
const GRACE = 10 * MINUTE;
const OURS = 'install-a';

function record(name: string, generation: number, nodes: { name: string; instanceId: string | null; state: NodeState; generation?: number }[]): ClusterDict {
  const node = (spec: (typeof nodes)[number]) => ({
    name: spec.name, clusterName: name, kind: 'compute', imageId: 'ami-1', imageUser: 'u', flavor: 't3.micro', securityGroup: 'default',
    userKeyName: 'k', userKeyPublic: '/k.pub', userKeyPrivate: '/k', instanceId: spec.instanceId, state: spec.state,
    ...(spec.generation !== undefined ? { generation: spec.generation } : {}),
  });
  return ClusterDictSchema.parse({ name, template: 't', userKeyName: 'k', userKeyPublic: '/k.pub', userKeyPrivate: '/k', generation, nodes: { compute: nodes.map(node) } });
}

function instance(overrides: Partial<TaggedInstance> = {}): TaggedInstance {
  return { instanceId: 'i-1', installation: OURS, cluster: 'demo', generation: 1, launchTime: new Date(NOW - 30 * MINUTE).toISOString(), ...overrides };
}

const QUIET: GenerationFacts = { decidedAt: NOW - 20 * MINUTE, deadline: NOW - 20 * MINUTE, coordinatorPending: false, launched: {} };

function judge(subject: TaggedInstance, records: ClusterDict[], facts: Partial<GenerationFacts> = {}, unreadable: string[] = []) {
  const context: OrphanContext = {
    installationId: OURS,
    now: NOW,
    graceMs: GRACE,
    records: new Map(records.map((r) => [r.name, r])),
    unreadable: new Set(unreadable),
    generation: () => ({ ...QUIET, ...facts }),
  };
  return judgeInstance(subject, context, claimedInstances(records));
}

describe('the orphan rule shared by `elastiq gc` and the scheduled gc job', () => {
  describe('never an orphan', () => {
    it('spares an instance of another installation, even of a cluster that has no record here', () => {
      expect(judge(instance({ installation: 'install-b' }), [])).toMatchObject({ orphan: false, because: 'not-this-installation' });
    });

    it('spares an instance without an installation tag (launched by an older elastiq or by hand)', () => {
      expect(judge(instance({ installation: null }), [])).toMatchObject({ orphan: false, because: 'not-this-installation' });
    });

    it('spares an instance launched less than the grace period ago, or whose launch time is unknown', () => {
      expect(judge(instance({ launchTime: new Date(NOW - 9 * MINUTE).toISOString() }), [])).toEqual({
        orphan: false,
        because: 'younger-than-grace',
        reason: 'launched less than 10m ago',
      });
      expect(judge(instance({ launchTime: null }), [])).toMatchObject({ orphan: false, because: 'younger-than-grace' });
    });

    it('spares an instance a node of any record holds, also under another cluster name (import --rename)', () => {
      const renamed = record('renamed', 3, [{ name: 'compute001', instanceId: 'i-1', state: 'up' }]);
      expect(judge(instance(), [renamed])).toEqual({ orphan: false, because: 'in-a-record', reason: 'node renamed/compute001' });
    });

    it('spares a paused or otherwise non-running node of the record: only terminating/terminated nodes let go', () => {
      const paused = record('demo', 1, [{ name: 'compute001', instanceId: 'i-1', state: 'down' }]);
      expect(judge(instance(), [paused])).toMatchObject({ orphan: false, because: 'in-a-record' });
    });

    it('spares what it cannot attribute: an installation-tagged instance without cluster or generation tag', () => {
      expect(judge(instance({ cluster: null }), [])).toMatchObject({ orphan: false, because: 'tags-unreadable' });
      expect(judge(instance({ generation: null }), [])).toMatchObject({ orphan: false, because: 'tags-unreadable' });
    });

    it('spares the instances of a cluster whose record exists but cannot be read (corrupt, or from a newer elastiq)', () => {
      expect(judge(instance(), [], {}, ['demo'])).toMatchObject({ orphan: false, because: 'record-unreadable' });
    });

    it('spares a launch that returned but is not in the record yet: the node of that generation still waits for its instance', () => {
      const starting = record('demo', 1, [{ name: 'compute001', instanceId: null, state: 'launching' }]);
      expect(judge(instance(), [starting], { launched: { compute001: 'i-1' } })).toMatchObject({ orphan: false, because: 'launch-not-yet-recorded' });
    });

    it('spares the instances of a resize generation that is still deciding, next to an older generation', () => {
      const resizing = record('demo', 2, [{ name: 'compute001', instanceId: 'i-0', state: 'up', generation: 1 }]);
      const deciding = { decidedAt: null, deadline: NOW + MINUTE };
      expect(judge(instance({ generation: 2 }), [resizing], deciding)).toMatchObject({ orphan: false, because: 'generation-in-progress' });
    });

    it('spares an undecided generation whose deadline passed less than the grace period ago', () => {
      expect(judge(instance(), [record('demo', 1, [])], { decidedAt: null, deadline: NOW - 5 * MINUTE })).toMatchObject({
        orphan: false,
        because: 'generation-in-progress',
      });
    });

    it('spares a generation decided less than the grace period ago (its record save may be under way)', () => {
      expect(judge(instance(), [record('demo', 1, [])], { decidedAt: NOW - MINUTE })).toMatchObject({ orphan: false, because: 'generation-in-progress' });
    });

    it('spares any generation whose coordinator job is still queued or running, however old (workers were down)', () => {
      const overdue = { decidedAt: null, deadline: NOW - 60 * MINUTE, coordinatorPending: true };
      expect(judge(instance(), [record('demo', 1, [])], overdue)).toMatchObject({ orphan: false, because: 'generation-in-progress' });
    });
  });

  describe('an orphan', () => {
    it('is an instance of a cluster that has no record (a lost store, a record deleted behind elastiq’s back)', () => {
      expect(judge(instance(), [])).toEqual({ orphan: true, reason: 'cluster `demo` has no record' });
    });

    it('is an instance of a failed start that the record marks terminated (a rollback that could not finish)', () => {
      const failed = record('demo', 1, [{ name: 'compute001', instanceId: 'i-1', state: 'terminated' }]);
      expect(judge(instance(), [failed])).toEqual({ orphan: true, reason: 'not in the record of `demo` (generation 1, decided)' });
    });

    it('is an instance of an older generation that the record no longer lists (a dropped node whose stop failed)', () => {
      const later = record('demo', 2, [{ name: 'compute001', instanceId: 'i-9', state: 'up' }]);
      expect(judge(instance(), [later])).toMatchObject({ orphan: true });
    });

    it('is a launch recorded in the fleet state for a node that has its instance from another launch', () => {
      const ready = record('demo', 1, [{ name: 'compute001', instanceId: 'i-2', state: 'up' }]);
      expect(judge(instance(), [ready], { launched: { compute001: 'i-1' } })).toMatchObject({ orphan: true });
    });

    it('is an instance of a generation that was never decided, long after its deadline, with no coordinator left', () => {
      const never = { decidedAt: null, deadline: NOW - 60 * MINUTE };
      expect(judge(instance(), [record('demo', 1, [])], never)).toEqual({ orphan: true, reason: 'not in the record of `demo` (generation 1, never decided)' });
    });
  });
});

describe('durations of --older-than', () => {
  it('reads a whole number and one unit', () => {
    expect(['500ms', '30s', '10m', '2h', '1d', '0s'].map(parseDuration)).toEqual([500, 30_000, 600_000, 7_200_000, 86_400_000, 0]);
  });

  it('refuses anything else', () => {
    expect(['10', '1h30m', '1.5h', '-1m', 'ten minutes', ''].map(parseDuration)).toEqual([null, null, null, null, null, null]);
  });

  it('prints a duration the way it is written', () => {
    expect([600_000, 90_000, 7_200_000, 1500, 0].map(formatDuration)).toEqual(['10m', '90s', '2h', '1500ms', '0ms']);
  });
});
