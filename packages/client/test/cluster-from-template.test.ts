import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getTemplate, loadConfiguration } from '@elastiq/config';
import { generateSshKeyPair, makeTempDir, type TempDir } from '@elastiq/testing';

import { clusterFromTemplate } from '../src/cluster-from-template';

// What `start` hands to the fleet: a fresh record built from the *current* template.

describe('clusterFromTemplate', () => {
  let dir: TempDir;
  let key: string;

  beforeAll(async () => {
    dir = await makeTempDir('cli-template');
    key = (await generateSshKeyPair(dir.path)).privateKeyPath;
    await writeFile(join(dir.path, 'site.yml'), '- hosts: all\n  tasks: []\n');
  });

  afterAll(async () => {
    await dir.cleanup();
  });

  async function template(cloudKeys: string[], name = 'hpc') {
    const path = join(dir.path, `${name}.conf`);
    await writeFile(
      path,
      [
        '[cloud/sim]',
        'provider=ec2_boto',
        'ec2_url=http://127.0.0.1:4566',
        'ec2_region=eu-west-1',
        ...cloudKeys,
        '[login/l]',
        'image_user=elastiq',
        'user_key_name=k',
        `user_key_private=${key}`,
        `user_key_public=${key}.pub`,
        '[setup/s]',
        'frontend_groups=slurm_master',
        'compute_groups=slurm_worker,ganglia_monitor',
        `playbook_path=${join(dir.path, 'site.yml')}`,
        `[cluster/${name}]`,
        'cloud=sim',
        'login=l',
        'setup=s',
        'image_id=ami-sim',
        'flavor=t3.micro',
        'frontend_nodes=1',
        'compute_nodes=4',
        'compute_nodes_min=3',
        '',
      ].join('\n'),
    );
    const configuration = await loadConfiguration({ configPath: path, explicit: true, env: {} });
    return { path, template: getTemplate(configuration, name) };
  }

  it('names nodes by kind, keeps key paths (never material), and gives each node its Ansible groups', async () => {
    const { path, template: hpc } = await template([]);
    const { cluster } = clusterFromTemplate(hpc, { name: 'run1', counts: new Map(), configFile: path });

    expect(Object.fromEntries(Object.entries(cluster.nodes).map(([kind, nodes]) => [kind, nodes.map((node) => node.name)]))).toEqual({
      frontend: ['frontend001'],
      compute: ['compute001', 'compute002', 'compute003', 'compute004'],
    });
    expect(cluster).toMatchObject({ name: 'run1', template: 'hpc', userKeyPrivate: key, userKeyPublic: `${key}.pub`, minNodes: { frontend: 1, compute: 3 } });
    expect(cluster.nodes.compute[0].extra.groups).toEqual(['slurm_worker', 'ganglia_monitor']);
    expect(cluster.extra.elastiq_setup).toMatchObject({ name: 's', provider: 'ansible', playbook_path: join(dir.path, 'site.yml') });
    expect(JSON.stringify(cluster)).not.toContain('PRIVATE KEY');
  });

  it('--nodes replaces a kind\'s count, and lowers its min_nodes when below it', async () => {
    const { path, template: hpc } = await template([]);
    const counts = new Map([['compute', 2]]);
    const { cluster } = clusterFromTemplate(hpc, { name: 'small', counts, configFile: path });

    expect(cluster.nodes.compute).toHaveLength(2);
    expect(cluster.minNodes).toEqual({ frontend: 1, compute: 2 });
  });

  it('records where the worker finds credentials, never the keys themselves', async () => {
    const inFile = await template(['ec2_access_key=AKIDEXAMPLE', 'ec2_secret_key=very-secret'], 'keyed');
    const fromFile = clusterFromTemplate(inFile.template, { name: 'a', counts: new Map(), configFile: inFile.path });
    const noKeys = await template([], 'chain');
    const fromChain = clusterFromTemplate(noKeys.template, { name: 'b', counts: new Map(), configFile: noKeys.path });

    expect(fromFile.cloud).toEqual({ provider: 'ec2', ec2Url: 'http://127.0.0.1:4566', ec2Region: 'eu-west-1', credentialSource: `config:${inFile.path}#sim`, vpc: null });
    expect(JSON.stringify(fromFile)).not.toContain('very-secret');
    expect(JSON.stringify(fromFile)).not.toContain('AKIDEXAMPLE');
    expect(fromChain.cloud.credentialSource).toBe('aws-chain');
  });
});
