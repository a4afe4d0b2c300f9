import { ClusterNotFound, ConcurrentModification, ConfigurationError } from '@elastiq/core';
import { type ClusterRepository, updateCluster } from '../src';
import { makeCluster, makeRichCluster } from './cluster-fixture';

export interface RepositoryFixture {
  /** A repository over this fixture's store; each call may open a new client on the same data. */
  open(): Promise<ClusterRepository>;
  cleanup(): Promise<void>;
}

async function expectConflict(promise: Promise<unknown>, expected: number | null, actual: number | null): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ConcurrentModification);
  expect(error).toMatchObject({ expectedRevision: expected, actualRevision: actual });
}

/**
 * The guarantees every ClusterRepository gives. Run against each implementation with a factory
 * that makes an empty, isolated store per test.
 */
export function describeClusterRepositoryConformance(label: string, makeFixture: () => Promise<RepositoryFixture>): void {
  describe(`${label}: ClusterRepository guarantees`, () => {
    let fixture: RepositoryFixture;
    let repository: ClusterRepository;

    beforeEach(async () => {
      fixture = await makeFixture();
      repository = await fixture.open();
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    it('knows no cluster when empty', async () => {
      expect(await repository.get('slurm')).toBeNull();
      expect(await repository.list()).toEqual([]);
    });

    it('creates a record at revision 1 when it must not exist yet, and reads it back', async () => {
      const cluster = makeCluster('slurm');
      expect(await repository.save(cluster, null)).toBe(1);
      expect(await repository.get('slurm')).toEqual({ value: cluster, revision: 1 });
    });

    it('keeps every field, including record keys and the order of kinds', async () => {
      const cluster = makeRichCluster('rich');
      await repository.save(cluster, null);
      const stored = await repository.get('rich');
      expect(stored?.value).toEqual(cluster);
      expect(Object.keys(stored?.value.nodes ?? {})).toEqual(['worker', 'Frontend']);
      expect((await fixture.open().then((other) => other.get('rich')))?.value).toEqual(cluster);
    });

    it('increases the revision by one at every save', async () => {
      const cluster = makeCluster('slurm');
      expect(await repository.save(cluster, null)).toBe(1);
      expect(await repository.save({ ...cluster, status: 'setting-up' }, 1)).toBe(2);
      expect(await repository.save({ ...cluster, status: 'ready' }, 2)).toBe(3);
      expect(await repository.get('slurm')).toEqual({ value: { ...cluster, status: 'ready' }, revision: 3 });
    });

    it('refuses to create a record that already exists', async () => {
      await repository.save(makeCluster('slurm'), null);
      await expectConflict(repository.save(makeCluster('slurm', { template: 'other' }), null), null, 1);
      expect((await repository.get('slurm'))?.value.template).toBe('slurm');
    });

    it('refuses a save based on a stale revision and keeps the newer record', async () => {
      const cluster = makeCluster('slurm');
      await repository.save(cluster, null);
      await repository.save({ ...cluster, status: 'ready' }, 1);
      await expectConflict(repository.save({ ...cluster, status: 'failed' }, 1), 1, 2);
      expect(await repository.get('slurm')).toEqual({ value: { ...cluster, status: 'ready' }, revision: 2 });
    });

    it('refuses to update a record that does not exist', async () => {
      await expectConflict(repository.save(makeCluster('ghost'), 4), 4, null);
      expect(await repository.get('ghost')).toBeNull();
    });

    it('lists every cluster, sorted by name', async () => {
      for (const name of ['torque', 'slurm', 'slurm-2', 'gridengine']) await repository.save(makeCluster(name), null);
      await repository.save(makeCluster('slurm', { status: 'ready' }), 1);
      const listed = await repository.list();
      expect(listed.map(({ value, revision }) => [value.name, revision])).toEqual([
        ['gridengine', 1],
        ['slurm', 2],
        ['slurm-2', 1],
        ['torque', 1],
      ]);
    });

    it('deletes unconditionally without an expected revision, and reports whether it deleted', async () => {
      await repository.save(makeCluster('slurm'), null);
      await repository.save(makeCluster('torque'), null);
      expect(await repository.delete('slurm')).toBe(true);
      expect(await repository.get('slurm')).toBeNull();
      expect((await repository.list()).map(({ value }) => value.name)).toEqual(['torque']);
      expect(await repository.delete('slurm')).toBe(false);
    });

    it('deletes only at the expected revision', async () => {
      await repository.save(makeCluster('slurm'), null);
      await repository.save(makeCluster('slurm', { status: 'stopping' }), 1);
      await expectConflict(repository.delete('slurm', 1), 1, 2);
      expect(await repository.get('slurm')).not.toBeNull();
      expect(await repository.delete('slurm', 2)).toBe(true);
      expect(await repository.get('slurm')).toBeNull();
    });

    it('hands out copies: changing what was read does not change the store', async () => {
      await repository.save(makeCluster('slurm'), null);
      const read = await repository.get('slurm');
      read!.value.nodes.compute[0].state = 'up';
      read!.value.status = 'ready';
      const again = await repository.get('slurm');
      expect(again?.value.status).toBe('starting');
      expect(again?.value.nodes.compute[0].state).toBe('new');
    });

    it('rejects cluster names that could escape the store', async () => {
      for (const name of ['', '../passwd', 'a/b', '.hidden', 'with space']) {
        await expect(repository.get(name)).rejects.toThrow(ConfigurationError);
        await expect(repository.save(makeCluster(name), null)).rejects.toThrow(ConfigurationError);
      }
    });

    it('lets exactly one of two writers with the same expected revision win, every time', async () => {
      const [first, second] = [await fixture.open(), await fixture.open()];
      await first.save(makeCluster('slurm'), null);
      for (let revision = 1; revision <= 20; revision += 1) {
        const outcomes = await Promise.allSettled([
          first.save(makeCluster('slurm', { statusReason: `first ${revision}` }), revision),
          second.save(makeCluster('slurm', { statusReason: `second ${revision}` }), revision),
        ]);
        const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
        expect(won).toEqual([{ status: 'fulfilled', value: revision + 1 }]);
        expect(lost).toHaveLength(1);
        expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrentModification);
        const winner = outcomes[0].status === 'fulfilled' ? 'first' : 'second';
        expect((await repository.get('slurm'))?.value.statusReason).toBe(`${winner} ${revision}`);
      }
    });

    it('applies every one of many concurrent updateCluster increments', async () => {
      const writers = await Promise.all([fixture.open(), fixture.open(), fixture.open()]);
      await repository.save(makeCluster('slurm', { extra: { counter: 0 } }), null);
      const increments = 24;
      await Promise.all(
        Array.from({ length: increments }, (_, index) =>
          updateCluster(
            writers[index % writers.length],
            'slurm',
            (draft) => {
              draft.extra.counter = (draft.extra.counter as number) + 1;
            },
            { retries: 100 },
          ),
        ),
      );
      expect(await repository.get('slurm')).toMatchObject({ value: { extra: { counter: increments } }, revision: 1 + increments });
    });

    it('updateCluster returns the saved record, and fails for a cluster that does not exist', async () => {
      await repository.save(makeCluster('slurm'), null);
      const updated = await updateCluster(repository, 'slurm', (draft) => ({ ...draft, status: 'ready' }));
      expect(updated).toEqual({ value: makeCluster('slurm', { status: 'ready' }), revision: 2 });
      await expect(updateCluster(repository, 'ghost', () => undefined)).rejects.toThrow(ClusterNotFound);
    });

    it('updateCluster leaves the record untouched when the mutation returns null', async () => {
      await repository.save(makeCluster('slurm', { status: 'stopping' }), null);
      const unchanged = await updateCluster(repository, 'slurm', (draft) => (draft.status === 'stopping' ? null : { ...draft, status: 'ready' }));
      expect(unchanged).toEqual({ value: makeCluster('slurm', { status: 'stopping' }), revision: 1 });
      expect(await repository.get('slurm')).toEqual(unchanged);
    });
  });
}
