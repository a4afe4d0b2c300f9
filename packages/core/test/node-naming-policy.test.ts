import { NodeNamingPolicy } from '@elastiq/core';

describe('NodeNamingPolicy (the reference doctests, same results)', () => {
  it('increments the top of a contiguous range, fills a pinched hole first, then extends the range', () => {
    const p = new NodeNamingPolicy();
    p.use('foo', 'foo001');
    p.use('foo', 'foo002');
    p.use('foo', 'foo003');
    expect(p.new('foo')).toBe('foo004');

    p.free('foo', 'foo002');
    expect(p.new('foo')).toBe('foo002');
    expect(p.new('foo')).toBe('foo005');

    p.use('foo', 'foo009');
    expect(['foo006', 'foo007', 'foo008']).toContain(p.new('foo'));
  });

  it('builds names from a custom pattern', () => {
    const p = new NodeNamingPolicy('node-{kind}-{index}');
    expect(p.new('foo')).toBe('node-foo-1');
  });

  it('interpolates extra keys passed to new()', () => {
    const p = new NodeNamingPolicy('node-{kind}-{index}{spec}');
    expect(p.new('foo', { spec: 'bar' })).toBe('node-foo-1bar');
    expect(p.new('foo', { spec: 'quux' })).toBe('node-foo-2quux');
  });
});

describe('NodeNamingPolicy', () => {
  it('names nodes <kind><index:03d> by default, starting at 1, and past 999 without truncating', () => {
    const p = new NodeNamingPolicy();
    expect(p.new('compute')).toBe('compute001');
    p.use('compute', 'compute999');
    // the holes 2..998 come first; use the top explicitly to see the 4-digit name
    for (let index = 2; index <= 998; index += 1) p.new('compute');
    expect(p.new('compute')).toBe('compute1000');
  });

  it('counts each kind separately', () => {
    const p = new NodeNamingPolicy();
    expect(p.new('frontend')).toBe('frontend001');
    expect(p.new('compute')).toBe('compute001');
    expect(p.new('compute')).toBe('compute002');
    expect(p.new('frontend')).toBe('frontend002');
  });

  it('fills holes with the smallest free index first', () => {
    const p = new NodeNamingPolicy();
    p.use('compute', 'compute001');
    p.use('compute', 'compute007');
    p.free('compute', 'compute001');
    expect([p.new('compute'), p.new('compute'), p.new('compute')]).toEqual(['compute001', 'compute002', 'compute003']);
  });

  it('never hands out the same name twice after the top name is freed', () => {
    const p = new NodeNamingPolicy();
    p.use('compute', 'compute001');
    p.use('compute', 'compute002');
    p.free('compute', 'compute002');
    expect([p.new('compute'), p.new('compute')]).toEqual(['compute002', 'compute003']);
  });

  it('treats freeing a free or unknown name as a no-op', () => {
    const p = new NodeNamingPolicy();
    expect(p.free('compute', 'compute004')).toBe(true);
    expect(p.new('compute')).toBe('compute001');
    expect(p.new('compute')).toBe('compute002');
  });

  it('does not track a name it cannot parse, and says so', () => {
    const p = new NodeNamingPolicy();
    expect(p.use('compute', 'my-special-node')).toBe(false);
    expect(p.free('compute', 'my-special-node')).toBe(false);
    expect(p.new('compute')).toBe('compute001');
  });

  it('copes with a huge index from a hand-edited record', () => {
    const p = new NodeNamingPolicy();
    p.use('compute', 'compute1000000000');
    expect(p.new('compute')).toBe('compute001');
  });

  it('refuses `kind` or `index` in the extra keys of new()', () => {
    const p = new NodeNamingPolicy('{kind}{index}');
    expect(() => p.new('foo', { index: 9 })).toThrow(/`index` is set by the policy/);
  });

  it('rejects a pattern field without a value, naming the field and the keys that exist', () => {
    const p = new NodeNamingPolicy('{kind}-{zone}-{index}');
    expect(() => p.new('foo')).toThrow(/uses `\{zone\}`, which has no value/);
    expect(p.new('foo', { zone: 'a' })).toBe('foo-a-1');
  });
});

describe('NodeNamingPolicy.format', () => {
  it.each([
    ['{kind}{index:03d}', { kind: 'compute', index: 7 }, 'compute007'],
    ['{kind}{index:03d}', { kind: 'compute', index: 1234 }, 'compute1234'],
    ['{kind}{index:d}', { kind: 'compute', index: 7 }, 'compute7'],
    ['{kind}{index:3d}', { kind: 'c', index: 7 }, 'c  7'],
    ['{kind:s}-{index}', { kind: 'c', index: 7 }, 'c-7'],
    ['{{{kind}}}', { kind: 'c' }, '{c}'],
    ['{index:04d}', { index: -7 }, '-007'],
  ])('format(%j, %j) = %j', (pattern, args, expected) => {
    expect(NodeNamingPolicy.format(pattern, args)).toBe(expected);
  });

  it('rejects a numeric format on text and an unmatched brace', () => {
    expect(() => NodeNamingPolicy.format('{kind:03d}', { kind: 'c' })).toThrow(/format `03d` does not apply to `kind`/);
    expect(() => NodeNamingPolicy.format('{kind', { kind: 'c' })).toThrow(/unmatched `\{`/);
  });
});

describe('NodeNamingPolicy.parse', () => {
  it.each([
    ['compute001', { kind: 'compute', index: 1 }],
    ['compute1000', { kind: 'compute', index: 1000 }],
    ['gpu-a100-node042', { kind: 'gpu-a100-node', index: 42 }],
    ['Frontend7', { kind: 'Frontend', index: 7 }],
    ['node-foo-1', { kind: 'node-foo-', index: 1 }],
  ])('parse(%j) = %j', (name, expected) => {
    expect(NodeNamingPolicy.parse(name)).toEqual(expected);
  });

  it.each(['frontend', '001', '', 'compute_001', 'compute 1'])('throws on %j', (name) => {
    expect(() => NodeNamingPolicy.parse(name)).toThrow(/cannot parse node name/);
  });

  it('inverts format() for the default pattern', () => {
    const name = NodeNamingPolicy.format('{kind}{index:03d}', { kind: 'login', index: 12 });
    expect(NodeNamingPolicy.parse(name)).toEqual({ kind: 'login', index: 12 });
  });
});
