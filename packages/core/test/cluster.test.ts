import { Cluster, ClusterDictSchema, ConfigurationError, ElastiqError, NodeDictSchema, NodeNamingPolicy, NodeNotFound } from '@elastiq/core';
import { computeSpec, newCluster } from './fixtures';

describe('Cluster.addNode / addNodes', () => {
  it('names nodes <kind><index:03d> per kind and gives them the cluster key pair and proxy command', () => {
    const cluster = new Cluster({
      name: 'slurm',
      template: 'slurm',
      userKeyName: 'k',
      userKeyPublic: '/keys/id.pub',
      userKeyPrivate: '/keys/id',
      sshProxyCommand: 'ssh -W %h:%p bastion',
    });
    const frontend = cluster.addNode('frontend', computeSpec);
    const compute = cluster.addNodes('compute', 3, computeSpec);
    expect(frontend.name).toBe('frontend001');
    expect(compute.map((node) => node.name)).toEqual(['compute001', 'compute002', 'compute003']);
    expect(frontend).toMatchObject({
      clusterName: 'slurm',
      kind: 'frontend',
      userKeyName: 'k',
      userKeyPublic: '/keys/id.pub',
      userKeyPrivate: '/keys/id',
      sshProxyCommand: 'ssh -W %h:%p bastion',
      imageUserdata: '',
      state: 'new',
      instanceId: null,
      sshPort: 22,
    });
    expect(cluster.kinds()).toEqual(['frontend', 'compute']);
  });

  it('accepts an explicit name and refuses one already in use', () => {
    const cluster = newCluster();
    expect(cluster.addNode('compute', computeSpec, 'compute007').name).toBe('compute007');
    expect(() => cluster.addNode('compute', computeSpec, 'compute007')).toThrow(/already has a node named `compute007`/);
    // the explicit name is marked used, so generated names go around it
    expect(cluster.addNodes('compute', 7, computeSpec).map((n) => n.name)).not.toContain('compute007');
  });

  it.each([
    ['small_worker', /may only contain letters, digits and hyphens/],
    ['node2', /must not end in a digit/],
    ['', /may only contain letters, digits and hyphens/],
    ['gpu node', /may only contain letters, digits and hyphens/],
  ])('rejects the invalid kind %j with a ConfigurationError that says how to fix it', (kind, problem) => {
    const cluster = newCluster();
    const attempt = () => cluster.addNode(kind, computeSpec);
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(problem);
    expect(cluster.kinds()).toEqual([]);
  });

  it.each(['compute', 'gpu-a100-', 'GPU-x', 'a1b'])('accepts the kind %j', (kind) => {
    expect(newCluster().addNode(kind, computeSpec).kind).toBe(kind);
  });

  it('declares a kind with zero nodes (a kind to be filled later, ElastiCluster #672)', () => {
    const cluster = newCluster();
    expect(cluster.addNodes('worker', 0, computeSpec)).toEqual([]);
    expect(cluster.nodes).toEqual({ worker: [] });
    expect(() => cluster.addNodes('worker', -1, computeSpec)).toThrow(/whole number ≥ 0/);
    expect(() => cluster.addNodes('worker', 1.5, computeSpec)).toThrow(/whole number ≥ 0/);
  });

  it('rejects an invalid spec naming the field, without consuming a name', () => {
    const cluster = newCluster();
    const broken = { ...computeSpec, flavor: 42 as unknown as string };
    expect(() => cluster.addNode('compute', broken)).toThrow(/invalid node `compute001` of kind `compute`: flavor:/);
    expect(cluster.kinds()).toEqual([]);
    expect(cluster.addNode('compute', computeSpec).name).toBe('compute001');
  });

  it('validates the settings it is built from, naming the field', () => {
    expect(() => new Cluster({ name: 'x', template: 't', userKeyName: 'k', userKeyPublic: 'p', userKeyPrivate: 'q', startTimeout: 0 })).toThrow(
      /cluster record `x` is invalid: startTimeout:/,
    );
  });
});

describe('Cluster lookups', () => {
  it('lists every node, kind after kind, and finds one by name', () => {
    const cluster = newCluster();
    cluster.addNodes('compute', 2, computeSpec);
    cluster.addNode('frontend', computeSpec);
    expect(cluster.getAllNodes().map((n) => n.name)).toEqual(['compute001', 'compute002', 'frontend001']);
    expect(cluster.getNodeByName('compute002').kind).toBe('compute');
    expect(cluster.findNode('compute009')).toBeUndefined();
  });

  it('throws NodeNotFound for an unknown node name', () => {
    const cluster = newCluster();
    expect(() => cluster.getNodeByName('compute009')).toThrow(NodeNotFound);
    expect(() => cluster.getNodeByName('compute009')).toThrow('cluster `slurm` has no node `compute009`');
  });
});

describe('Cluster.removeNode', () => {
  it('removes the node, keeps its (now empty) kind, and frees the name for the next node', () => {
    const cluster = newCluster();
    cluster.addNodes('compute', 3, computeSpec);
    const removed = cluster.removeNode('compute002');
    expect(removed.name).toBe('compute002');
    expect(cluster.getAllNodes().map((n) => n.name)).toEqual(['compute001', 'compute003']);
    expect(cluster.findNode('compute002')).toBeUndefined();
    expect(cluster.addNode('compute', computeSpec).name).toBe('compute002');

    const single = newCluster();
    const only = single.addNode('frontend', computeSpec);
    single.removeNode(only);
    expect(single.nodes).toEqual({ frontend: [] });
  });

  it('throws NodeNotFound for a node that is not in the cluster', () => {
    expect(() => newCluster().removeNode('compute001')).toThrow(NodeNotFound);
  });
});

describe('Cluster.getSshToNode (ElastiCluster order, notes §4.3)', () => {
  function clusterWith(kinds: Record<string, number>, sshTo: string | null = null): Cluster {
    const cluster = newCluster();
    cluster.sshTo = sshTo;
    for (const [kind, count] of Object.entries(kinds)) cluster.addNodes(kind, count, computeSpec);
    return cluster;
  }

  it('1. takes an exact node name', () => {
    expect(clusterWith({ frontend: 1, compute: 3 }).getSshToNode('compute002').name).toBe('compute002');
  });

  it('2. reads a <kind><digits> name that does not exist as its kind', () => {
    expect(clusterWith({ frontend: 1, compute: 3 }).getSshToNode('compute009').name).toBe('compute001');
  });

  it('3. takes the first node of the named kind, from the argument or else from ssh_to', () => {
    expect(clusterWith({ frontend: 1, compute: 3 }).getSshToNode('compute').name).toBe('compute001');
    expect(clusterWith({ frontend: 1, compute: 3 }, 'compute').getSshToNode().name).toBe('compute001');
    expect(clusterWith({ frontend: 1, compute: 3 }, 'compute').getSshToNode('frontend').name).toBe('frontend001');
  });

  it('3. rejects a name that is neither a node nor a kind, as a configuration mistake of ssh_to', () => {
    const attempt = () => clusterWith({ frontend: 1 }).getSshToNode('gateway');
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow('ssh_to: `gateway` is neither a node nor a node kind of cluster `slurm`');
  });

  it('3. falls through to the defaults when the named kind is empty', () => {
    expect(clusterWith({ frontend: 1, compute: 0 }, 'compute').getSshToNode().name).toBe('frontend001');
  });

  it('4. tries the kinds ssh, login, frontend, master in that order', () => {
    expect(clusterWith({ master: 1, frontend: 1, login: 1, ssh: 1, compute: 1 }).getSshToNode().name).toBe('ssh001');
    expect(clusterWith({ master: 1, frontend: 1, login: 1, compute: 1 }).getSshToNode().name).toBe('login001');
    expect(clusterWith({ master: 1, frontend: 1, compute: 1 }).getSshToNode().name).toBe('frontend001');
    expect(clusterWith({ compute: 1, master: 1 }).getSshToNode().name).toBe('master001');
    expect(clusterWith({ ssh: 0, compute: 1, master: 1 }).getSshToNode().name).toBe('master001');
  });

  it('5. takes the first node of the alphabetically first non-empty kind', () => {
    expect(clusterWith({ worker: 2, compute: 2, aaa: 0 }).getSshToNode().name).toBe('compute001');
  });

  it('6. throws NodeNotFound when the cluster has no node at all', () => {
    expect(() => clusterWith({}).getSshToNode()).toThrow(NodeNotFound);
    expect(() => clusterWith({ compute: 0 }, 'compute').getSshToNode()).toThrow('cluster `slurm` has no node to connect to');
  });
});

describe('Cluster.startRequirements', () => {
  it('wants every node of a kind and needs min_nodes of them (default: all, never more than exist)', () => {
    const cluster = newCluster();
    cluster.addNode('frontend', computeSpec);
    cluster.addNodes('compute', 4, computeSpec);
    cluster.addNodes('gpu', 2, computeSpec);
    cluster.minNodes = { compute: 2, gpu: 5 };
    expect(cluster.startRequirements()).toEqual({
      frontend: { wanted: 1, min: 1 },
      compute: { wanted: 4, min: 2 },
      gpu: { wanted: 2, min: 2 },
    });
  });
});

describe('Cluster.toDict / Cluster.fromDict', () => {
  function startedCluster(): Cluster {
    const cluster = newCluster();
    cluster.addNode('frontend', computeSpec);
    cluster.addNodes('compute', 3, computeSpec);
    const node = cluster.getNodeByName('compute002');
    node.instanceId = 'i-0abc';
    node.ips = ['10.0.0.5', '127.0.1.2'];
    node.preferredIp = '127.0.1.2';
    node.state = 'up';
    node.hostKey = { type: 'ssh-ed25519', base64: 'AAAAC3Nz', fingerprint: 'SHA256:xyz' };
    cluster.status = 'ready';
    cluster.minNodes = { compute: 2 };
    return cluster;
  }

  it('produces exactly the ClusterDict shape: parsing it changes nothing', () => {
    const dict = startedCluster().toDict();
    expect(ClusterDictSchema.parse(dict)).toEqual(dict);
    expect(Object.keys(dict).sort()).toEqual(Object.keys(ClusterDictSchema.shape).sort());
    expect(Object.keys(dict.nodes.compute[0]).sort()).toEqual(Object.keys(NodeDictSchema.shape).sort());
    expect(Object.keys(dict.nodes)).toEqual(['frontend', 'compute']);
    expect(dict.nodes.compute[1]).toMatchObject({
      name: 'compute002',
      clusterName: 'slurm',
      instanceId: 'i-0abc',
      preferredIp: '127.0.1.2',
      state: 'up',
      extra: { min_num: 2, login: 'ubuntu' },
    });
  });

  it('round-trips through JSON without losing anything', () => {
    const dict = startedCluster().toDict();
    const rebuilt = Cluster.fromDict(JSON.parse(JSON.stringify(dict)));
    expect(rebuilt.toDict()).toEqual(dict);
  });

  it('hands out copies: changing a dict does not change the cluster', () => {
    const cluster = startedCluster();
    const dict = cluster.toDict();
    dict.nodes.compute[0].ips.push('127.9.9.9');
    (dict.nodes.compute[0].extra as Record<string, unknown>).min_num = 99;
    expect(cluster.getNodeByName('compute001').ips).toEqual([]);
    expect(cluster.getNodeByName('compute001').extra.min_num).toBe(2);
  });

  it('rebuilds the naming policy from the stored names, so holes are filled first', () => {
    const dict = startedCluster().toDict();
    dict.nodes.compute = dict.nodes.compute.filter((node) => node.name !== 'compute002');
    const cluster = Cluster.fromDict(dict);
    expect(cluster.addNodes('compute', 2, computeSpec).map((n) => n.name)).toEqual(['compute002', 'compute004']);
  });

  it('fills defaults for fields an older record lacks', () => {
    const cluster = Cluster.fromDict({
      name: 'old',
      template: 'slurm',
      userKeyName: 'k',
      userKeyPublic: '/k.pub',
      userKeyPrivate: '/k',
      nodes: {
        compute: [
          {
            name: 'compute001',
            clusterName: 'old',
            kind: 'compute',
            imageId: 'ami-1',
            imageUser: 'ubuntu',
            flavor: 'small',
            securityGroup: 'default',
            userKeyName: 'k',
            userKeyPublic: '/k.pub',
            userKeyPrivate: '/k',
          },
        ],
      },
    });
    expect(cluster.status).toBe('starting');
    expect(cluster.startTimeout).toBe(600);
    expect(cluster.getNodeByName('compute001')).toMatchObject({ state: 'new', ips: [], sshPort: 22, hostKey: null });
  });

  it('rejects an invalid record, naming the record, its source and every bad field', () => {
    const dict = startedCluster().toDict() as unknown as Record<string, unknown>;
    const broken = { ...dict, startTimeout: 'soon', nodes: { compute: [{ name: 'compute001' }] } };
    let error: unknown;
    try {
      Cluster.fromDict(broken, { source: 'redis elastiq:cluster:slurm' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ElastiqError);
    const message = (error as ElastiqError).message;
    expect(message).toMatch(/^cluster record `slurm` \(redis elastiq:cluster:slurm\) is invalid: /);
    expect(message).toContain('startTimeout:');
    expect(message).toContain('nodes.compute[0].clusterName:');
    expect((error as ElastiqError).exitCode).toBe(65);
  });

  it.each([
    ['a node filed under another kind', (d: ReturnType<Cluster['toDict']>) => d.nodes.frontend.push(d.nodes.compute[0]), /node `compute001` has kind `compute`/],
    ['a node of another cluster', (d: ReturnType<Cluster['toDict']>) => { d.nodes.compute[0].clusterName = 'other'; }, /belongs to cluster `other`/],
    ['a duplicated node', (d: ReturnType<Cluster['toDict']>) => d.nodes.compute.push(d.nodes.compute[0]), /node `compute001` appears twice/],
    ['an invalid kind', (d: ReturnType<Cluster['toDict']>) => { d.nodes.bad_kind = []; }, /invalid node kind `bad_kind`/],
  ])('rejects an inconsistent record: %s', (_what, corrupt, problem) => {
    const dict = startedCluster().toDict();
    corrupt(dict);
    expect(() => Cluster.fromDict(dict)).toThrow(problem);
  });
});

describe('Cluster.toVarsDict (notes §5.2)', () => {
  it("gives ElastiCluster's cluster variables, every extra key at top level and the nodes by name", () => {
    const cluster = newCluster();
    cluster.extra = { compute_nodes: '2', image_id: 'ami-0123', login: { image_user: 'ubuntu', user_key_private: '/home/u/.ssh/id_ed25519' } };
    cluster.addNodes('compute', 2, computeSpec);
    const vars = cluster.toVarsDict();
    expect(vars).toEqual({
      name: 'slurm',
      template: 'slurm-on-aws',
      availability_zone: '',
      ssh_probe_timeout: 5,
      start_timeout: 600,
      user_key_name: 'elastiq',
      user_key_private: '/home/u/.ssh/id_ed25519',
      user_key_public: '/home/u/.ssh/id_ed25519.pub',
      paused_nodes: {},
      compute_nodes: '2',
      image_id: 'ami-0123',
      login: { image_user: 'ubuntu', user_key_private: '/home/u/.ssh/id_ed25519' },
      nodes: {
        compute001: cluster.getNodeByName('compute001').toVarsDict(),
        compute002: cluster.getNodeByName('compute002').toVarsDict(),
      },
    });
    for (const key of ['ssh_proxy_command', 'ssh_to', 'thread_pool_max_size', 'cloud']) expect(vars).not.toHaveProperty(key);
  });

  it('never includes private key material, whatever extra holds', () => {
    const cluster = newCluster();
    cluster.extra = { login: { key: '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----' } };
    expect(JSON.stringify(cluster.toVarsDict())).not.toContain('PRIVATE KEY');
  });
});

describe('Cluster with a custom naming pattern', () => {
  it('never hands out a name already taken, even when the pattern cannot be parsed back', () => {
    const dict = newCluster().toDict();
    dict.nodes.compute = [];
    const first = Cluster.fromDict(dict, { namingPolicy: new NodeNamingPolicy('{index}-{kind}') });
    const stored = first.addNode('compute', computeSpec).toDict();
    expect(stored.name).toBe('1-compute');
    dict.nodes.compute = [stored];
    const reloaded = Cluster.fromDict(dict, { namingPolicy: new NodeNamingPolicy('{index}-{kind}') });
    expect(reloaded.addNode('compute', computeSpec).name).toBe('2-compute');
  });
});
