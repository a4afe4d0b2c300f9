import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSshKeyPair, makeTempDir, type TempDir } from '@elastiq/testing';
import { CLI_MAIN, type CliResult, cliEnvironment, runElastiq } from './fleet/elastiq-cli';
import { FleetHarness } from './fleet/fleet-harness';

// The `elastiq` command end to end: the built CLI as a child process, against a real Redis,
// cloud-sim (real sshd instances) and two real elastiq-worker processes from the fleet harness.

describe('elastiq start / stop on the fleet', () => {
  const fleet = new FleetHarness();
  let dir: TempDir;
  let configPath: string;

  function elastiq(...args: string[]): Promise<CliResult> {
    return runElastiq(fleet, { configPath, home: dir.path, timeoutMs: 120_000 }, args);
  }

  /** Runs the CLI and calls `react` once (with the child) when its stderr contains `trigger`. */
  function elastiqReacting(trigger: string, react: (child: ChildProcess) => void, ...args: string[]): Promise<CliResult> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI_MAIN, '-c', configPath, ...args], {
        env: cliEnvironment(fleet, dir.path),
      });
      let stdout = '';
      let stderr = '';
      let sent = false;
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        if (!sent && stderr.includes(trigger)) {
          sent = true;
          react(child);
        }
      });
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
  }

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
    await fleet.spawnWorker();
    dir = await makeTempDir('cli-e2e');
    configPath = join(dir.path, 'config');
    await writeFile(
      configPath,
      [
        ...fleet.configSections(),
        '[setup/e2e]',
        'frontend_groups=frontend',
        'compute_groups=compute',
        '[cluster/e2e]',
        'cloud=sim',
        'login=e2e',
        'setup=e2e',
        'image_id=ami-sim',
        'flavor=t3.micro',
        'frontend_nodes=1',
        'compute_nodes=2',
        'ssh_to=frontend',
        'start_timeout=60',
        // The cloud has no such image: every launch is refused, which waiting cannot fix.
        '[cluster/no-image]',
        'cloud=sim',
        'login=e2e',
        'setup=e2e',
        'image_id=ami-0doesnotexist',
        'flavor=t3.micro',
        'compute_nodes=2',
        'start_timeout=60',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await fleet.stop();
    await dir?.cleanup();
  });

  it('start --no-setup follows the start to ready, exits 0 and ends with the node table', async () => {
    const result = await elastiq('start', 'e2e', '-n', 'cli1', '--nodes', '3:compute', '--no-setup');

    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0, stderr: expect.stringContaining('Your cluster `cli1` is ready!') });
    expect(result.stderr).toContain('Starting cluster `cli1` (generation 1) with:\n* 1 frontend nodes.\n* 3 compute nodes.');
    // Progress lines (stderr is not a terminal here): every kind ends with all its nodes up.
    expect(result.stderr).toContain('  frontend: 1/1 up (launched 1, running 1, up 1, failed 0)');
    expect(result.stderr).toContain('  compute: 3/3 up (launched 3, running 3, up 3, failed 0)');
    expect(result.stdout).toContain('Status:           ready');
    expect(result.stdout).toContain('Default ssh to node: frontend001');
    const table = result.stdout.slice(result.stdout.indexOf('NODE')).trimEnd().split('\n');
    expect(table[0]).toMatch(/^NODE\s+KIND\s+INSTANCE ID\s+STATE\s+IP\s+LAST ERROR$/);
    expect(table.slice(1).map((row) => row.split(/\s+/).slice(0, 2))).toEqual([
      ['frontend001', 'frontend'],
      ['compute001', 'compute'],
      ['compute002', 'compute'],
      ['compute003', 'compute'],
    ]);
    for (const row of table.slice(1)) expect(row).toMatch(/ i-[0-9a-f]+ +up +127\.\d+\.\d+\.\d+/);
    expect(fleet.liveInstances('cli1')).toHaveLength(4);
  });

  it('starting the same name again refuses and says how to stop it, without touching the cluster', async () => {
    const result = await elastiq('start', 'e2e', '-n', 'cli1', '--no-setup');

    expect(result.code).toBe(73);
    expect(result.stderr).toBe('error: a cluster named `cli1` already exists (it is ready; stop it first with `elastiq stop cli1`, or choose another name)\n');
    expect(fleet.liveInstances('cli1')).toHaveLength(4);
  });

  it('watch of a finished start prints the same result at once', async () => {
    const result = await elastiq('watch', 'cli1');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Status:           ready');
  });

  it('ssh runs a command on the frontend with OpenSSH, checking the host key the fleet pinned', async () => {
    const result = await elastiq('ssh', 'cli1', '--', 'echo', 'hello from', '$(whoami)');

    expect(result).toMatchObject({ code: 0, stdout: 'hello from elastiq\n' });
  });

  it('sftp puts and gets a file in batch mode with the cluster key and the pinned host key', async () => {
    await writeFile(join(dir.path, 'payload.txt'), 'sent by elastiq sftp\n');
    await writeFile(join(dir.path, 'batch'), [`put ${join(dir.path, 'payload.txt')} payload.txt`, `get payload.txt ${join(dir.path, 'fetched.txt')}`, ''].join('\n'));

    const result = await elastiq('sftp', 'cli1', '--', '-b', join(dir.path, 'batch'));

    expect(result.code).toBe(0);
    expect(await readFile(join(dir.path, 'fetched.txt'), 'utf8')).toBe('sent by elastiq sftp\n');
    expect((await elastiq('ssh', 'cli1', '--', 'cat', 'payload.txt')).stdout).toBe('sent by elastiq sftp\n');
  });

  it('sftp refuses a node whose host key is not the one the fleet pinned', async () => {
    const stored = await fleet.repository.get('cli1');
    const original = stored!.value;
    const impostor = (await generateSshKeyPair(dir.path)).publicKey.split(' ');
    const tampered = structuredClone(original);
    const frontend = tampered.nodes.frontend![0]!;
    frontend.hostKey = { type: impostor[0]!, base64: impostor[1]!, fingerprint: 'SHA256:impostor' };
    const revision = await fleet.repository.save(tampered, stored!.revision);
    try {
      await writeFile(join(dir.path, 'batch-ls'), 'ls\n');
      const result = await elastiq('sftp', 'cli1', '--', '-b', join(dir.path, 'batch-ls'));

      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/);
    } finally {
      await fleet.repository.save(original, revision);
    }
  });

  it('Ctrl+C detaches the watcher only: the start goes on, and `start` of the same name re-attaches to it', async () => {
    // Node starts are held back so that the start is certainly still in progress when re-attached.
    await fleet.producer.queues.nodeStart.pause();
    try {
      const detached = await elastiqReacting('(This may take a while', (child) => child.kill('SIGINT'), 'start', 'e2e', '-n', 'cli2', '--no-setup');

      expect(detached.code).toBe(130);
      expect(detached.stderr).toContain('Detached from `cli2`: its start goes on in the fleet.\nRe-attach with `elastiq watch cli2`, or stop it with `elastiq stop cli2`.');
      expect((await fleet.repository.get('cli2'))?.value.status).toBe('starting');

      const reattached = await elastiqReacting('already in progress', () => void fleet.producer.queues.nodeStart.resume(), 'start', 'e2e', '-n', 'cli2', '--no-setup');
      expect(reattached.stderr).toContain('A start of `cli2` is already in progress (starting); following it.');
      expect(reattached.stderr).not.toContain('Starting cluster `cli2`');
      expect(reattached.code).toBe(0);
      expect(reattached.stdout).toContain('Status:           ready');
      expect(fleet.liveInstances('cli2')).toHaveLength(3);
    } finally {
      await fleet.producer.queues.nodeStart.resume();
    }
    expect((await elastiq('stop', '-y', '--wait', 'cli2')).code).toBe(0);
    expect(fleet.liveInstances('cli2')).toEqual([]);
  });

  it('start --json prints only the final record on stdout, for scripts', async () => {
    const result = await elastiq('start', 'e2e', '-n', 'cli3', '--nodes', '1:compute', '--no-setup', '--json');

    expect(result.code).toBe(0);
    const record = JSON.parse(result.stdout);
    expect(record).toMatchObject({ name: 'cli3', template: 'e2e', status: 'ready' });
    expect(Object.values(record.nodes).flat()).toHaveLength(2);
    expect(result.stderr).not.toContain('up (launched');
    expect((await elastiq('stop', '-y', '--wait', 'cli3')).code).toBe(0);
  });

  it('a start that fails exits 1 with the reason, unlike ElastiCluster; its record stays until `stop`, which just works', async () => {
    const result = await elastiq('start', 'no-image', '--no-setup');

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error: cluster `no-image` could not be started: .+/);
    // Which node's launch reports the refusal first varies; the other is rolled back with it.
    expect(result.stdout).toMatch(/^compute00[12] +compute +- +failed +- +.*ami-0doesnotexist/m);
    expect(result.stdout.match(/^compute00[12] +compute +- +failed /gm)).toHaveLength(2);
    expect(fleet.liveInstances('no-image')).toEqual([]);
    expect((await elastiq('stop', '-y', '--wait', 'no-image')).code).toBe(0);
    expect(await elastiq('list-nodes', 'no-image')).toMatchObject({ code: 66 });
  });

  it('stop -y --wait terminates every instance, deletes the record, and stopping again says it is gone', async () => {
    const result = await elastiq('stop', '-y', '--wait', 'cli1');

    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: 0,
      stderr: 'Destroying cluster `cli1` ...\nCluster `cli1` stopped: every instance terminated, record deleted.\n',
    });
    expect(fleet.liveInstances('cli1')).toEqual([]);
    expect(await elastiq('list')).toMatchObject({ code: 0, stdout: 'No clusters found.\n' });
    const again = await elastiq('stop', '-y', 'cli1');
    expect(again.code).toBe(66);
    expect(again.stderr).toMatch(/^error: cluster `cli1` not found \(it is already stopped, or was never started/);
  });
});
