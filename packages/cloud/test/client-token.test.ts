import { clientTokenFor } from '../src';

describe('clientTokenFor', () => {
  it('is deterministic: a retried batch gets the same token', () => {
    expect(clientTokenFor('slurm', 3, 'batch-7')).toBe(clientTokenFor('slurm', 3, 'batch-7'));
  });

  it('differs for another cluster, generation or batch', () => {
    const tokens = new Set([
      clientTokenFor('slurm', 3, 'batch-7'),
      clientTokenFor('slurm2', 3, 'batch-7'),
      clientTokenFor('slurm', 4, 'batch-7'),
      clientTokenFor('slurm', 3, 'batch-8'),
    ]);
    expect(tokens.size).toBe(4);
  });

  it('keeps tuples apart that would concatenate to the same text', () => {
    expect(clientTokenFor('a-1', 2, 'b')).not.toBe(clientTokenFor('a', 1, '2-b'));
  });

  it('stays within 64 printable ASCII characters for long and non-ASCII names', () => {
    const token = clientTokenFor(`${'très-long-cluster-'.repeat(10)}`, 123456789, 'x'.repeat(500));

    expect(token.length).toBeLessThanOrEqual(64);
    expect(token).toMatch(/^[\x21-\x7e]+$/);
  });

  it('starts with the cluster name and generation so a human can tell launches apart', () => {
    expect(clientTokenFor('slurm', 3, 'b1')).toMatch(/^slurm-g3-/);
  });

  it('refuses a generation that is not a non-negative integer', () => {
    expect(() => clientTokenFor('slurm', -1, 'b')).toThrow(RangeError);
    expect(() => clientTokenFor('slurm', 1.5, 'b')).toThrow(RangeError);
  });
});
