import { MemoryClusterRepository } from '../src';
import { makeCluster } from './cluster-fixture';
import { describeClusterRepositoryConformance } from './cluster-repository-conformance';

describeClusterRepositoryConformance('MemoryClusterRepository', async () => {
  const repository = new MemoryClusterRepository();
  return { open: async () => repository, cleanup: async () => undefined };
});

describe('MemoryClusterRepository', () => {
  it('never reuses a revision after a delete, so a stale writer cannot overwrite a re-created cluster', async () => {
    const repository = new MemoryClusterRepository();
    await repository.save(makeCluster('slurm'), null);
    await repository.save(makeCluster('slurm'), 1);
    await repository.delete('slurm');
    expect(await repository.save(makeCluster('slurm'), null)).toBe(3);
    await expect(repository.save(makeCluster('slurm'), 2)).rejects.toMatchObject({ actualRevision: 3 });
  });
});
