import { runCli } from './support/run-cli';

// `elastiq gc` checks its own arguments before it reaches for Redis: a mistake is one line and
// exit 64 (EX_USAGE), even when no fleet is running. The gc itself is specified end to end in
// test/fleet/gc.test.ts.

// Nothing listens there: a command that got past its arguments would fail with 69 instead.
const NO_REDIS = { ELASTIQ_REDIS_URL: 'redis://127.0.0.1:9' };

describe('elastiq gc: arguments', () => {
  it('--help says what gc does, its options and that untagged instances are never touched', async () => {
    const result = await runCli(['gc', '--help'], NO_REDIS);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: elastiq gc [options]');
    expect(result.stdout).toMatch(/--older-than <duration>\s+only instances launched longer ago than this[\s\S]*\(default: "10m"\)/);
    expect(result.stdout).toMatch(/-y, --yes\s+terminate the orphans instead of only listing them/);
    expect(result.stdout).toContain('never touched');
  });

  it.each(['ten', '10', '1h30m', '-5m'])('refuses --older-than %s in one line, exit 64', async (value) => {
    const result = await runCli(['gc', '--older-than', value], NO_REDIS);

    expect(result.code).toBe(64);
    expect(result.stderr.trimEnd().split('\n')).toEqual([`error: --older-than '${value}': must be a whole number and a unit, e.g. 30s, 10m, 2h or 1d`]);
  });

  it('refuses a storage directory: gc works through the fleet, exit 64', async () => {
    const result = await runCli(['-s', '/nonexistent-store', 'gc'], NO_REDIS);

    expect(result.code).toBe(64);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^error: `gc` works through the fleet's Redis, not a storage directory/)]);
  });

  it('says in one line that Redis cannot be reached, exit 69', async () => {
    const result = await runCli(['gc'], NO_REDIS);

    expect(result.code).toBe(69);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^error: cannot reach Redis at redis:\/\/127\.0\.0\.1:9/)]);
  });
});
