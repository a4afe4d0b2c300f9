import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { type CliResult, runElastiq } from './elastiq-cli';
import { FleetHarness } from './fleet-harness';

// `elastiq export` / `elastiq import` on a real fleet: a cluster started on Redis is exported,
// imported into a disk store (`-s DIR`) and reached with `elastiq ssh` from there; exported again
// from the disk store with its keys and imported back into Redis under another name, which `ssh`
// reaches and `stop` terminates. Hostile archives are refused before anything is written.

describe('elastiq export / import', () => {
  const fleet = new FleetHarness();
  let store: string;

  function elastiq(...args: string[]): Promise<CliResult> {
    return runElastiq(fleet, { configPath: join(fleet.scratchDir, 'no-config-needed'), home: fleet.scratchDir, timeoutMs: 60_000 }, args);
  }

  function entriesOf(bytes: Uint8Array): string[] {
    return Object.keys(unzipSync(bytes)).sort();
  }

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
    store = join(fleet.scratchDir, 'store');
    await fleet.producer.startCluster({ cluster: fleet.clusterDict('exp', { frontend: { count: 1 }, compute: { count: 1 } }), cloud: fleet.cloud, runSetup: false });
    expect((await fleet.producer.waitForCluster('exp', (c) => c.status !== 'starting', { timeoutMs: 60_000 }))?.status).toBe('ready');
  });
  afterAll(() => fleet.stop());

  it('exports the record, known_hosts and inventory from Redis, and no key without --save-keys', async () => {
    const result = await elastiq('export', 'exp', '-o', join(fleet.scratchDir, 'exp'));

    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toContain(`Exported cluster \`exp\` to ${join(fleet.scratchDir, 'exp.zip')} (without key files`);
    const archive = await readFile(join(fleet.scratchDir, 'exp.zip'));
    expect(entriesOf(archive)).toEqual(['exp.inventory', 'exp.known_hosts', 'exp.yaml']);
    const files = unzipSync(archive);
    expect(Buffer.from(files['exp.inventory']!).toString()).toMatch(/^\[frontend\]\nfrontend001 ansible_host=127\.\S+ ansible_user=elastiq/m);
    expect(Buffer.from(files['exp.known_hosts']!).toString().trimEnd().split('\n')).toHaveLength(2);
    expect((await stat(join(fleet.scratchDir, 'exp.zip'))).mode & 0o777).toBe(0o600);

    const again = await elastiq('export', 'exp', '-o', join(fleet.scratchDir, 'exp.zip'));
    expect({ code: again.code, stderr: again.stderr.trimEnd() }).toEqual({ code: 73, stderr: expect.stringMatching(/^error: .*exp\.zip already exists \(pass --overwrite/) });
  });

  it('imports into a disk store, where ssh reaches the frontend with the pinned host key', async () => {
    const imported = await elastiq('-s', store, 'import', join(fleet.scratchDir, 'exp.zip'));

    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain('Imported cluster `exp` (ready)');
    expect(imported.stderr).toContain(`note: the archive holds no key files; the cluster uses ${fleet.keys.privateKeyPath}`);
    const listed = await elastiq('-s', store, 'list-nodes', 'exp');
    expect(listed.stdout).toContain('frontend001');
    const ssh = await elastiq('-s', store, 'ssh', 'exp', '--', 'echo', 'reached', 'through', 'the', 'disk', 'store');
    expect(ssh).toMatchObject({ code: 0, stdout: 'reached through the disk store\n' });

    const twice = await elastiq('-s', store, 'import', join(fleet.scratchDir, 'exp.zip'));
    expect({ code: twice.code, lines: twice.stderr.trimEnd().split('\n') }).toEqual({ code: 73, lines: [expect.stringMatching(/^error: a cluster named `exp` already exists \(import it under another name with --rename/)] });
  });

  it('goes back to Redis with its keys under another name: ssh works, stop terminates its instances', async () => {
    const exported = await elastiq('-s', store, 'export', 'exp', '-o', join(fleet.scratchDir, 'with-keys.zip'), '--save-keys');
    expect(exported.code).toBe(0);
    expect(exported.stderr).toMatch(/^warning: .*with-keys\.zip contains the SSH key files of `exp`/m);
    const archive = await readFile(join(fleet.scratchDir, 'with-keys.zip'));
    expect(entriesOf(archive).filter((entry) => entry.startsWith('keys/')).length).toBeGreaterThanOrEqual(2);

    const imported = await elastiq('import', join(fleet.scratchDir, 'with-keys.zip'), '--rename', 'exp2');
    expect(imported.code).toBe(0);
    const record = (await fleet.repository.get('exp2'))!.value;
    const keyDir = join(fleet.scratchDir, '.elastiq', 'keys', 'exp2');
    expect(record.userKeyPrivate.startsWith(keyDir)).toBe(true);
    expect((await stat(record.userKeyPrivate)).mode & 0o777).toBe(0o600);
    expect(await readFile(record.userKeyPrivate, 'utf8')).toBe(await readFile(fleet.keys.privateKeyPath, 'utf8'));
    expect(Object.values(record.nodes).flat().every((node) => node.clusterName === 'exp2')).toBe(true);

    const ssh = await elastiq('ssh', 'exp2', '--', 'echo', 'renamed');
    expect(ssh).toMatchObject({ code: 0, stdout: 'renamed\n' });

    const instances = Object.values(record.nodes).flat().map((node) => node.instanceId);
    const stop = await elastiq('stop', 'exp2', '-y', '--wait');
    expect(stop.code).toBe(0);
    expect(await fleet.repository.get('exp2')).toBeNull();
    const states = fleet.sim.instances().filter((instance) => instances.includes(instance.instanceId)).map((instance) => instance.state);
    expect(states).toEqual(['terminated', 'terminated']);
  });

  it('refuses a hostile or broken archive in one line (exit 65) and writes nothing', async () => {
    const cluster = Buffer.from(unzipSync(await readFile(join(fleet.scratchDir, 'exp.zip')))['exp.yaml']!).toString();
    const cases: Record<string, Uint8Array> = {
      'traversal.zip': zipSync({ 'exp.yaml': strToU8(cluster), '../evil': strToU8('x') }),
      'nested-key.zip': zipSync({ 'exp.yaml': strToU8(cluster), 'keys/../../evil': strToU8('x') }),
      'two-records.zip': zipSync({ 'exp.yaml': strToU8(cluster), 'other.yaml': strToU8(cluster) }),
      'bad-record.zip': zipSync({ 'exp.yaml': strToU8('name: exp\nnodes: 3\n') }),
      'not-a-zip.zip': strToU8('PK but not really'),
    };
    for (const [file, bytes] of Object.entries(cases)) {
      await writeFile(join(fleet.scratchDir, file), bytes);
      const result = await elastiq('--storage', join(fleet.scratchDir, `store-${file}`), 'import', join(fleet.scratchDir, file), '--rename', 'hostile');
      expect({ file, code: result.code, lines: result.stderr.trimEnd().split('\n') }).toEqual({ file, code: 65, lines: [expect.stringMatching(/is not an elastiq cluster archive: /)] });
    }
    expect(await fleet.repository.get('hostile')).toBeNull();
    await expect(stat(join(fleet.scratchDir, '..', 'evil'))).rejects.toThrow();
  });
});
