import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClusterDictSchema } from '@elastiq/core';
import { makeTempDir, type TempDir } from '@elastiq/testing';
import { parse as parseYaml } from 'yaml';
import { CorruptClusterRecord, DiskClusterRepository, type StoreWarning } from '../src';
import { makeCluster, makeRichCluster } from './cluster-fixture';
import { describeClusterRepositoryConformance } from './cluster-repository-conformance';

// Real processes, sockets and fsynced files on a shared 2-core machine: jest's 5 s default (the
// preset's testTimeout does not apply in the root's multi-project run) is too tight under load.
jest.setTimeout(60_000);

describeClusterRepositoryConformance('DiskClusterRepository (yaml)', async () => {
  const dir = await makeTempDir('disk-store');
  return { open: async () => new DiskClusterRepository(join(dir.path, 'storage')), cleanup: dir.cleanup };
});

describeClusterRepositoryConformance('DiskClusterRepository (json)', async () => {
  const dir = await makeTempDir('disk-store');
  return { open: async () => new DiskClusterRepository(dir.path, { format: 'json' }), cleanup: dir.cleanup };
});

describe('DiskClusterRepository', () => {
  let dir: TempDir;
  let warnings: StoreWarning[];
  let repository: DiskClusterRepository;

  beforeEach(async () => {
    dir = await makeTempDir('disk-store');
    warnings = [];
    repository = new DiskClusterRepository(dir.path, { onWarning: (warning) => warnings.push(warning) });
  });

  afterEach(async () => {
    await dir.cleanup();
  });

  it('creates the storage directory when it is missing', async () => {
    const nested = new DiskClusterRepository(join(dir.path, 'a', 'b', 'storage'));
    expect(await nested.list()).toEqual([]);
    await nested.save(makeCluster('slurm'), null);
    expect(await readdir(join(dir.path, 'a', 'b', 'storage'))).toEqual(['slurm.yaml']);
  });

  it('writes ElastiCluster-like YAML: snake_case keys in sorted order, 4-space indent, a revision', async () => {
    await repository.save(makeRichCluster('rich'), null);
    const text = await readFile(join(dir.path, 'rich.yaml'), 'utf8');
    const document = parseYaml(text) as Record<string, unknown>;
    expect(Object.keys(document)).toEqual([...Object.keys(document)].sort());
    expect(document).toMatchObject({ revision: 1, user_key_name: 'elastiq-key', ssh_to: 'frontend', min_nodes: { worker: 1, Frontend: 1 } });
    expect(document.cloud).toEqual({ provider: 'ec2', ec2_url: 'http://127.0.0.1:4566', ec2_region: 'us-east-1', credential_source: 'env', vpc: 'vpc-1' });
    // Record keys are data and keep their spelling; field keys are snake_case.
    expect(document.extra).toMatchObject({ compute_nodes: '2', userKeyStyle: 'camel', login: { image_user: 'centos' } });
    const worker = (document.nodes as Record<string, Record<string, unknown>[]>).worker[0];
    expect(worker).toMatchObject({ cluster_name: 'rich', instance_id: 'i-0123456789abcdef0', preferred_ip: '127.0.1.1', ssh_port: 2222 });
    expect(worker.host_key).toEqual({ base64: 'AAAAC3NzaC1lZDI1NTE5AAAAIA', fingerprint: 'SHA256:abc', type: 'ssh-ed25519' });
    expect(text).toMatch(/^availability_zone: us-east-1a\n/);
    expect(text).toContain('\ncloud:\n    credential_source: env\n');
  });

  it('reads and updates a JSON cluster file in its own format', async () => {
    const json = new DiskClusterRepository(dir.path, { format: 'json' });
    await json.save(makeCluster('slurm'), null);
    expect(JSON.parse(await readFile(join(dir.path, 'slurm.json'), 'utf8'))).toMatchObject({ revision: 1, user_key_name: 'elastiq-key' });
    // A yaml-by-default repository keeps updating the existing JSON file.
    expect(await repository.save(makeCluster('slurm', { status: 'ready' }), 1)).toBe(2);
    expect(await readdir(dir.path)).toEqual(['slurm.json']);
    expect(await repository.get('slurm')).toMatchObject({ value: { status: 'ready' }, revision: 2 });
  });

  it('reads a hand-written camelCase JSON record', async () => {
    const cluster = makeCluster('slurm');
    await writeFile(join(dir.path, 'slurm.json'), JSON.stringify({ ...cluster, revision: 7 }));
    expect(await repository.get('slurm')).toEqual({ value: cluster, revision: 7 });
  });

  it('reads an ElastiCluster state file (no revision) as revision 0, and saves over it expecting 0', async () => {
    const elasticlusterState = [
      'availability_zone: \'\'',
      'extra:',
      '    compute_nodes: \'1\'',
      'name: legacy',
      'nodes:',
      '    compute:',
      '    -   cluster_name: legacy',
      '        extra: {min_num: 1}',
      '        flavor: m1.small',
      '        image_id: ami-1',
      '        image_user: centos',
      '        image_userdata: \'\'',
      '        instance_id: i-1',
      '        ips: [127.0.1.9]',
      '        kind: compute',
      '        name: compute001',
      '        preferred_ip: 127.0.1.9',
      '        security_group: default',
      '        ssh_proxy_command: \'\'',
      '        user_key_name: elasticluster',
      '        user_key_private: /home/u/.ssh/id_rsa',
      '        user_key_public: /home/u/.ssh/id_rsa.pub',
      'paused_nodes: {}',
      'ssh_probe_timeout: 5',
      'ssh_proxy_command: \'\'',
      'ssh_to: null',
      'start_timeout: 600',
      'template: slurm',
      'thread_pool_max_size: \'4\'',
      'user_key_name: elasticluster',
      'user_key_private: /home/u/.ssh/id_rsa',
      'user_key_public: /home/u/.ssh/id_rsa.pub',
      '',
    ].join('\n');
    await writeFile(join(dir.path, 'legacy.yaml'), elasticlusterState);
    const legacy = await repository.get('legacy');
    expect(legacy?.revision).toBe(0);
    expect(legacy?.value.nodes.compute[0]).toMatchObject({ instanceId: 'i-1', preferredIp: '127.0.1.9', extra: { min_num: 1 } });
    expect(legacy?.value.threadPoolMaxSize).toBe('4');
    expect(await repository.save(legacy!.value, 0)).toBe(1);
  });

  it('skips empty, unparsable and invalid files in list() with a warning naming each file', async () => {
    await repository.save(makeCluster('good'), null);
    await writeFile(join(dir.path, 'empty.yaml'), '');
    await writeFile(join(dir.path, 'garbage.yaml'), 'name: [unclosed');
    await writeFile(join(dir.path, 'invalid.json'), JSON.stringify({ name: 'invalid', template: 'x' }));
    await writeFile(join(dir.path, 'renamed.yaml'), (await readFile(join(dir.path, 'good.yaml'), 'utf8')));
    await writeFile(join(dir.path, 'good.known_hosts'), '127.0.1.1 ssh-ed25519 AAAA\n');

    expect((await repository.list()).map(({ value }) => value.name)).toEqual(['good']);
    expect(warnings.map(({ clusterName, location }) => [clusterName, location])).toEqual([
      ['empty', join(dir.path, 'empty.yaml')],
      ['garbage', join(dir.path, 'garbage.yaml')],
      ['invalid', join(dir.path, 'invalid.json')],
      ['renamed', join(dir.path, 'renamed.yaml')],
    ]);
    expect(warnings[0].message).toBe(`skipping cluster \`empty\`: ${join(dir.path, 'empty.yaml')} is empty (fix or remove the file)`);
    expect(warnings[1].message).toContain('is not valid YAML');
    expect(warnings[2].message).toMatch(/userKeyName: .*expected string/i);
    expect(warnings[3].message).toContain('holds cluster `good`, not `renamed`');

    await expect(repository.get('empty')).rejects.toThrow(CorruptClusterRecord);
    await expect(repository.save(makeCluster('empty'), null)).rejects.toMatchObject({
      name: 'CorruptClusterRecord',
      hint: `fix or remove ${join(dir.path, 'empty.yaml')} before saving this cluster again`,
    });
    expect(await repository.delete('empty')).toBe(true); // how a user gets rid of a corrupt record
  });

  it('leaves no temporary or lock files behind', async () => {
    await repository.save(makeCluster('slurm'), null);
    await repository.save(makeCluster('slurm'), 1);
    await repository.save(makeCluster('torque'), null);
    await repository.delete('torque', 1);
    expect(await readdir(dir.path)).toEqual(['slurm.yaml']);
  });

  it('round-trips a record through the file exactly as parsed', async () => {
    const cluster = makeRichCluster('rich');
    await repository.save(cluster, null);
    const reread = ClusterDictSchema.parse((await repository.get('rich'))?.value);
    expect(reread).toEqual(cluster);
  });
});
