// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is configuration text, not a template
import { ConfigurationError } from '../src';
import { ConfigSandbox } from './support/config-sandbox';
import { minimalConfig } from './support/minimal-config';

// The INI dialect is Python's ConfigParser(strict=False) with case-sensitive keys (notes §1.2).

let sandbox: ConfigSandbox;
beforeAll(async () => {
  sandbox = await ConfigSandbox.create();
});
afterAll(async () => {
  await sandbox.remove();
});

describe('INI dialect', () => {
  it('keeps key case: Compute_nodes defines kind Compute, not compute', async () => {
    const config = await sandbox.loadText(minimalConfig({ cluster: 'Compute_nodes=2', setup: 'Compute_groups=slurm_worker' }));
    expect(config.templates.slurm?.kinds.map((kind) => kind.kind)).toEqual(['frontend', 'compute', 'Compute']);
  });

  it('splits at the first = or :, strips spaces around key and value, and keeps inline comments in the value', async () => {
    const config = await sandbox.loadText(
      minimalConfig({ cluster: 'security_group : my-sg=1\nflavor = m1.small # cheap\nimage_userdata=' }),
    );
    const [frontend] = config.templates.slurm?.kinds ?? [];
    expect(frontend?.securityGroup).toBe('my-sg=1');
    expect(frontend?.flavor).toBe('m1.small # cheap');
    expect(frontend?.imageUserdata).toBe('');
  });

  it('accepts indented keys and joins deeper-indented lines, skipping comment lines inside the value', async () => {
    const config = await sandbox.loadText(
      minimalConfig({
        tail: '[cluster/slurm/frontend]\n  image_userdata=line one\n      line two\n  # a comment\n      line three\n  security_group=indented',
      }),
    );
    const [frontend] = config.templates.slurm?.kinds ?? [];
    expect(frontend?.imageUserdata).toBe('line one\nline two\nline three');
    expect(frontend?.securityGroup).toBe('indented');
  });

  it('treats a key indented deeper than the previous key as part of that value, as ConfigParser does', async () => {
    const loading = sandbox.loadText(minimalConfig({ cluster: '  ssh_to=frontend' }));
    await expect(loading).rejects.toThrow("[cluster/slurm] compute_nodes: must be an integer (number of 'compute' nodes to start), got '4\\nssh_to=frontend'");
  });

  it('merges a repeated section and lets the later key win, keeping the first key position', async () => {
    const config = await sandbox.loadText(minimalConfig({ tail: '[cluster/slurm]\nfrontend_nodes=2\nflavor=t3.xlarge' }));
    expect(config.templates.slurm?.kinds.map((kind) => [kind.kind, kind.count, kind.flavor])).toEqual([
      ['frontend', 2, 't3.xlarge'],
      ['compute', 4, 't3.xlarge'],
    ]);
  });

  it('copies [DEFAULT] keys into every section (so a DEFAULT flavor overrides per kind sections too)', async () => {
    const config = await sandbox.loadText(
      minimalConfig({ head: '[DEFAULT]\nsecurity_group=from-default', tail: '[cluster/slurm/compute]\nflavor=c5.large' }),
    );
    expect(config.templates.slurm?.kinds.map((kind) => [kind.kind, kind.securityGroup, kind.flavor])).toEqual([
      ['compute', 'from-default', 'c5.large'],
      ['frontend', 'from-default', 't3.large'],
    ]);
  });

  it('ignores a section without keys, with a warning', async () => {
    const config = await sandbox.loadText(minimalConfig({ tail: '[cluster/empty]' }));
    expect(Object.keys(config.templates)).toEqual(['slurm']);
    expect(config.warnings).toContainEqual(expect.objectContaining({ section: 'cluster/empty', message: expect.stringContaining('no keys') }));
  });

  it('rejects a line without = or : with the file and line number', async () => {
    const path = await sandbox.write('syntax.conf', minimalConfig({ cluster: 'this line has no delimiter' }));
    const loading = sandbox.load(path);
    await expect(loading).rejects.toBeInstanceOf(ConfigurationError);
    await expect(loading).rejects.toThrow(`${path}: cannot parse 'this line has no delimiter': expected 'key = value', a [section] header or a comment starting with # or ; (line 25)`);
  });

  it('rejects a key before any section header', async () => {
    await expect(sandbox.loadText(`flavor=t3.large\n${minimalConfig()}`)).rejects.toThrow(/config: a key appears before any section header.* \(line 1\)$/);
  });
});

describe('value interpolation', () => {
  it('replaces %% by % and %(key)s by a key of the same section or of [DEFAULT]', async () => {
    const config = await sandbox.loadText(
      minimalConfig({ head: '[DEFAULT]\nbastion=gw.example.org', cluster: 'proxy_port=%%p\nssh_proxy_command=ssh -W %%h:%(proxy_port)s %(bastion)s' }),
    );
    expect(config.templates.slurm?.sshProxyCommand).toBe('ssh -W %h:%p gw.example.org');
  });

  it('knows %(elasticluster_playbooks)s and $elasticluster_playbooks', async () => {
    const site = await sandbox.write('playbooks/site.yml', '- hosts: all\n');
    const config = await sandbox.loadText(minimalConfig({ setup: 'playbook_path=%(elasticluster_playbooks)s/site.yml\nansible_extra_args=-e pb=${ansible_pb_dir}' }), {
      playbooksDir: sandbox.path('playbooks'),
    });
    expect(config.templates.slurm?.setup.playbookPath).toBe(site);
    expect(config.templates.slurm?.setup.ansibleExtraArgs).toBe(`-e pb=${sandbox.path('playbooks')}`);
  });

  it("drops a setup whose playbook is under a missing %(elasticluster_playbooks)s, saying elastiq does not ship them and how to point at a copy", async () => {
    const config = await sandbox.loadText(minimalConfig({ setup: 'playbook_path=%(elasticluster_playbooks)s/main.yml' }), {
      env: { PATH: process.env.PATH, ELASTIQ_PLAYBOOKS_DIR: sandbox.path('no-playbooks-here') },
    });
    expect(config.templates.slurm).toBeUndefined();
    expect(config.dropped[0]).toMatchObject({
      section: 'setup/slurm',
      key: 'playbook_path',
      reason:
        `playbook_path must name a readable playbook, but ${sandbox.path('no-playbooks-here/main.yml')} does not exist or cannot be read: ` +
        `%(elasticluster_playbooks)s is ${sandbox.path('no-playbooks-here')}, and elastiq does not ship ElastiCluster's playbooks; ` +
        "set ELASTIQ_PLAYBOOKS_DIR to a copy of ElastiCluster's playbooks directory (elasticluster/share/playbooks in its source or installed package)",
    });
  });

  it('finds the playbook once ELASTIQ_PLAYBOOKS_DIR points at a copy', async () => {
    const main = await sandbox.write('copy-of-playbooks/main.yml', '- hosts: all\n');
    const config = await sandbox.loadText(minimalConfig({ setup: 'playbook_path=%(elasticluster_playbooks)s/main.yml' }), {
      env: { PATH: process.env.PATH, ELASTIQ_PLAYBOOKS_DIR: sandbox.path('copy-of-playbooks') },
    });
    expect(config.templates.slurm?.setup.playbookPath).toBe(main);
  });

  it('fails the whole load on a lone %, naming file, section and key', async () => {
    const loading = sandbox.loadText(minimalConfig({ cluster: 'ssh_proxy_command=ssh -W %h:%p gw' }));
    await expect(loading).rejects.toMatchObject({ section: 'cluster/slurm', key: 'ssh_proxy_command' });
    await expect(loading).rejects.toThrow(/lone '%'.*%%/);
  });

  it('does not quote the value of a secret key in an interpolation error', async () => {
    const loading = sandbox.loadText(minimalConfig({ cloud: 'ec2_secret_key=abc%def' }));
    await expect(loading).rejects.toThrow("[cloud/aws] ec2_secret_key: contains a lone '%' in (value hidden)");
    await expect(loading).rejects.not.toThrow(/abc/);
  });

  it('fails the whole load on %(name)s of an unknown key', async () => {
    await expect(sandbox.loadText(minimalConfig({ cluster: 'flavor=%(size)s' }))).rejects.toThrow(/refers to %\(size\)s, but no key 'size' exists/);
  });

  it('fails on a %(name)s reference cycle and on a malformed reference', async () => {
    await expect(sandbox.loadText(minimalConfig({ cluster: 'a=%(b)s\nb=%(a)s' }))).rejects.toThrow(/nested more than 10 deep/);
    await expect(sandbox.loadText(minimalConfig({ cluster: 'a=%(b)d' }))).rejects.toThrow(/bad %\(name\)s reference/);
  });

  it('expands $NAME and ${NAME} after interpolation, leaves undefined ones literally and warns about them', async () => {
    const config = await sandbox.loadText(minimalConfig({ cluster: 'image_id=${AMI}\nflavor=$SIZE\nnote=$$ and ${UNSET_VAR}' }), {
      env: { AMI: 'ami-999', SIZE: 'm5.large' },
    });
    const template = config.templates.slurm;
    expect(template?.kinds[0]).toMatchObject({ imageId: 'ami-999', flavor: 'm5.large' });
    expect(template?.extra.note).toBe('$$ and ${UNSET_VAR}');
    expect(config.warnings).toContainEqual(expect.objectContaining({ key: 'note', message: expect.stringContaining('${UNSET_VAR}') }));
  });
});
