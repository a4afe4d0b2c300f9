import { buildAnsibleArgv, buildAnsibleEnv, buildSshArgs, defaultForks } from '../src/ansible-command';

const argvInput = {
  ansibleCommand: ['ansible-playbook'],
  privateKeyPath: '/keys/id_ed25519',
  playbookPath: '/pb/site.yml',
  inventoryPath: '/srv/cluster/c.inventory',
  become: false,
  becomeUser: 'root',
  configExtraArgs: ['-v'],
  runExtraArgs: ['--tags', 'hosts'],
  extraVarsPath: '/srv/cluster/extra_vars.yml',
};

describe('buildAnsibleArgv', () => {
  it("orders arguments like ElastiCluster: key, playbook, inventory, config extra args, run extra args, extra vars", () => {
    expect(buildAnsibleArgv(argvInput)).toEqual([
      'ansible-playbook',
      '--private-key=/keys/id_ed25519',
      '/pb/site.yml',
      '--inventory=/srv/cluster/c.inventory',
      '-v',
      '--tags',
      'hosts',
      '-e',
      '@/srv/cluster/extra_vars.yml',
    ]);
  });

  it('adds --become and --become-user when image_sudo is on', () => {
    const argv = buildAnsibleArgv({ ...argvInput, become: true, becomeUser: 'admin' });
    expect(argv.slice(4, 6)).toEqual(['--become', '--become-user=admin']);
  });

  it('limits a retry to the hosts that failed', () => {
    expect(buildAnsibleArgv({ ...argvInput, limit: ['compute001', 'compute003'] }).at(-1)).toBe('--limit=compute001,compute003');
  });
});

describe('buildSshArgs', () => {
  it('puts the pinned known_hosts and strict checking first, so later options cannot turn checking off', () => {
    expect(buildSshArgs({ knownHostsPath: '/state/my cluster.known_hosts', configured: '-o StrictHostKeyChecking=no' })).toBe(
      "-o UserKnownHostsFile='/state/my cluster.known_hosts' -o StrictHostKeyChecking=yes -o StrictHostKeyChecking=no",
    );
  });

  it("keeps Ansible's default ControlPersist args and appends ElastiCluster's ProxyCommand unexpanded", () => {
    expect(buildSshArgs({ knownHostsPath: '/kh', proxyCommand: 'ssh -W %h:%p gw' })).toBe(
      "-o UserKnownHostsFile=/kh -o StrictHostKeyChecking=yes -C -o ControlMaster=auto -o ControlPersist=60s -o ProxyCommand='ssh -W %h:%p gw'",
    );
  });
});

describe('buildAnsibleEnv', () => {
  const base = {
    forks: 4,
    rolesPath: ['/pb/roles', '/etc/ansible/roles'],
    ansibleOptions: {},
    inherited: {},
    knownHostsPath: '/kh',
    controlPathDir: '/srv/cluster/cp',
  };

  it('sets ElastiCluster defaults, with pipelining on', () => {
    expect(buildAnsibleEnv(base)).toMatchObject({
      ANSIBLE_FORKS: '4',
      ANSIBLE_RETRY_FILES_ENABLED: 'no',
      ANSIBLE_ROLES_PATH: '/pb/roles:/etc/ansible/roles',
      ANSIBLE_PIPELINING: 'yes',
      ANSIBLE_SSH_PIPELINING: 'yes',
      ANSIBLE_TIMEOUT: '120',
    });
  });

  it('layers ansible_* options over defaults, the inherited environment over both, the env option last', () => {
    const env = buildAnsibleEnv({
      ...base,
      ansibleOptions: { ansible_timeout: '30', ansible_forks: '2', ansible_gathering: 'explicit' },
      inherited: { ANSIBLE_TIMEOUT: '60', PATH: '/usr/bin' },
      extra: { ANSIBLE_FORKS: '9' },
    });
    expect(env).toMatchObject({ ANSIBLE_TIMEOUT: '60', ANSIBLE_FORKS: '9', ANSIBLE_GATHERING: 'explicit', PATH: '/usr/bin' });
  });

  it('forces host key checking on and the JSONL callback, whatever the user environment says', () => {
    const env = buildAnsibleEnv({
      ...base,
      inherited: { ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_STDOUT_CALLBACK: 'yaml', ANSIBLE_SSH_ARGS: '-o ControlPersist=5s' },
    });
    expect(env.ANSIBLE_HOST_KEY_CHECKING).toBe('True');
    expect(env.ANSIBLE_STDOUT_CALLBACK).toBe('ansible.posix.jsonl');
    expect(env.ANSIBLE_SSH_ARGS).toBe('-o UserKnownHostsFile=/kh -o StrictHostKeyChecking=yes -o ControlPersist=5s');
    expect(env.ANSIBLE_SSH_CONTROL_PATH_DIR).toBe('/srv/cluster/cp');
  });

  it('does not force ANSIBLE_ANY_ERRORS_FATAL: one bad host must not stop the others', () => {
    expect(buildAnsibleEnv(base).ANSIBLE_ANY_ERRORS_FATAL).toBeUndefined();
  });
});

describe('defaultForks', () => {
  it('is the cluster size, at most 50', () => {
    expect([defaultForks(3), defaultForks(50), defaultForks(400)]).toEqual([3, 50, 50]);
  });
});
