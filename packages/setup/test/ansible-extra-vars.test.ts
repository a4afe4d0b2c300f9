import { parse } from 'yaml';
import { buildExtraVarsYaml } from '../src/ansible-extra-vars';

describe('buildExtraVarsYaml (the `-e @extra_vars.yml` tree)', () => {
  const nodes = [
    { name: 'frontend001', kind: 'frontend', host: '127.0.1.1', port: 22, imageUser: 'elastiq', vars: { kind: 'frontend', preferred_ip: '127.0.1.1' } },
  ];

  it('puts everything under `elasticluster`, with each node’s variables and the output_dir', () => {
    const yaml = buildExtraVarsYaml({ clusterVars: { name: 'demo', user_key_private: '/keys/id' }, nodes, outputDir: '/srv/cluster/demo' });
    expect(parse(yaml)).toEqual({
      elasticluster: {
        name: 'demo',
        user_key_private: '/keys/id',
        nodes: { frontend001: { kind: 'frontend', preferred_ip: '127.0.1.1' } },
        output_dir: '/srv/cluster/demo',
      },
    });
  });

  it('writes keys sorted, as PyYAML does', () => {
    const yaml = buildExtraVarsYaml({ clusterVars: { zone: 'a', cloud: {} }, nodes: [], outputDir: '/w' });
    expect(yaml.split('\n').filter((line) => /^ {2}\w/.test(line))).toEqual(['  cloud: {}', '  nodes: {}', '  output_dir: /w', '  zone: a']);
  });
});
