import { join } from 'node:path';
import { generateSshKeyPair, makeTempDir, type TempDir } from '@elastiq/testing';
import { runCli } from './support/run-cli';

// A user mistake is one line on stderr and a non-zero exit status; a stack trace only with -v.

function expectOneLine(stderr: string): void {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('user mistakes', () => {
  let dir: TempDir;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await makeTempDir('cli-mistakes');
    env = { ELASTIQ_DEMO_KEY: (await generateSshKeyPair(dir.path)).privateKeyPath, HOME: dir.path };
  });

  afterAll(async () => {
    await dir.cleanup();
  });

  it('a missing configuration file: names the file, exit 78 (EX_CONFIG)', async () => {
    const result = await runCli(['-c', join(dir.path, 'nope.conf'), 'list-templates'], env);

    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/^error: .*nope\.conf/);
    expectOneLine(result.stderr);
  });

  it('an invalid configuration file: names file, section and key', async () => {
    const result = await runCli(['-c', 'examples/invalid.conf', 'start', 'broken'], env);

    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^error: /);
    expectOneLine(result.stderr);
  });

  it('an unknown template: says which templates exist', async () => {
    const result = await runCli(['-c', 'examples/cloud-sim.conf', 'start', 'no-such-template'], env);

    expect(result.code).toBe(78);
    expect(result.stderr).toBe('error: No cluster template named `no-such-template`. Valid templates: sim-slurm\n');
  });

  it.each([
    ['0:compute', 'N must be a positive integer'],
    ['three:compute', 'must be N:KIND'],
    ['3', 'must be N:KIND'],
    ['3:gpu', 'template `sim-slurm` has no node kind `gpu`'],
  ])('a bad --nodes %s: %s, before anything is enqueued', async (nodes, problem) => {
    // No Redis runs at this URL: the mistake must be found before the CLI would need it.
    const result = await runCli(['-c', 'examples/cloud-sim.conf', 'start', 'sim-slurm', '--nodes', nodes], { ...env, ELASTIQ_REDIS_URL: 'redis://127.0.0.1:1' });

    expect(result.code).toBe(78);
    expect(result.stderr).toContain(`--nodes '${nodes}': ${problem}`);
    expect(result.stderr).toContain('frontend, compute');
    expectOneLine(result.stderr);
  });

  it('an invalid cluster name for --name', async () => {
    const result = await runCli(['-c', 'examples/cloud-sim.conf', 'start', 'sim-slurm', '-n', 'a/b'], env);

    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/^error: --name 'a\/b': must start with a letter or digit/);
    expectOneLine(result.stderr);
  });

  it('Redis not reachable: one line naming the URL and what to do, exit 69', async () => {
    const result = await runCli(['list'], { ...env, ELASTIQ_REDIS_URL: 'redis://:hunter2@127.0.0.1:1' });

    expect(result.code).toBe(69);
    expect(result.stderr).toMatch(/^error: cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1.*ELASTIQ_REDIS_URL/);
    expect(result.stderr).not.toContain('hunter2');
    expectOneLine(result.stderr);
  });

  it('an invalid ELASTIQ_REDIS_URL names the variable', async () => {
    const result = await runCli(['list'], { ...env, ELASTIQ_REDIS_URL: 'http://127.0.0.1:6379' });

    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/^error: ELASTIQ_REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL, got .http:\/\/127\.0\.0\.1:6379.\n$/);
  });

  it('an unknown option or a missing argument: commander\'s message and exit 64 (EX_USAGE)', async () => {
    const unknown = await runCli(['list-templates', '--no-such-flag'], env);
    const missing = await runCli(['list-nodes'], env);

    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toMatch(/^error: unknown option '--no-such-flag'/);
    expect(missing.code).toBe(64);
    expect(missing.stderr).toMatch(/^error: missing required argument 'cluster'/);
  });

  it('-v adds the stack trace to the same message', async () => {
    const result = await runCli(['-v', '-c', 'examples/cloud-sim.conf', 'start', 'no-such-template'], env);

    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/^error: No cluster template named `no-such-template`/);
    expect(result.stderr).toMatch(/^\s+at .*templates\.js/m);
  });

  it('--help works for every command and exits 0', async () => {
    for (const command of ['list-templates', 'list', 'list-nodes', 'start', 'watch', 'stop', 'setup', 'ssh']) {
      const result = await runCli([command, '--help'], env);
      expect({ command, code: result.code }).toEqual({ command, code: 0 });
      expect(result.stdout).toContain(`Usage: elastiq ${command}`);
    }
  });
});
