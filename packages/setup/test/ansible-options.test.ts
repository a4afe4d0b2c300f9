import { ConfigurationError } from '@elastiq/core';
import { parseAnsibleProviderOptions } from '../src/ansible-options';

function errorOf(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('parseAnsibleProviderOptions', () => {
  it('fills defaults: ansible-playbook from PATH, 2 retries, no become', () => {
    expect(parseAnsibleProviderOptions({ playbookPath: 'site.yml' })).toMatchObject({
      ansibleCommand: 'ansible-playbook',
      retries: 2,
      become: false,
      becomeUser: 'root',
      extraArgs: [],
      ansibleOptions: {},
    });
  });

  it("renames ElastiCluster's deprecated keys", () => {
    const options = parseAnsibleProviderOptions({
      playbookPath: 'site.yml',
      ansibleOptions: { ssh_pipelining: 'no', ansible_module_dir: '/lib' },
    });
    expect(options.ansibleOptions).toEqual({ ansible_ssh_pipelining: 'no', ansible_library: '/lib' });
  });

  it('names the config key and section of an invalid value', () => {
    const error = errorOf(() => parseAnsibleProviderOptions({ playbookPath: '', configSection: 'setup/ansible' }));
    expect(error.message).toBe('[setup/ansible] playbook_path: is empty: give the path of the playbook to run');
  });

  it('refuses to let the config turn host key checking off', () => {
    const error = errorOf(() =>
      parseAnsibleProviderOptions({ playbookPath: 'x.yml', ansibleOptions: { ansible_host_key_checking: 'no' } }),
    );
    expect(error.key).toBe('ansible_host_key_checking');
  });

  it('refuses ansible_* keys that are not variable names', () => {
    expect(errorOf(() => parseAnsibleProviderOptions({ playbookPath: 'x.yml', ansibleOptions: { 'ansible_a-b': '1' } })).key).toBe(
      'ansible_a-b',
    );
  });
});

describe('ansible_command and ansible_extra_args', () => {
  it('splits ansible_extra_args given as one string like a shell', () => {
    expect(parseAnsibleProviderOptions({ playbookPath: 'x.yml', extraArgs: `-v -e 'a=b c'` }).extraArgs).toEqual(['-v', '-e', 'a=b c']);
  });

  it('names ansible_extra_args when its quotes do not close', () => {
    expect(errorOf(() => parseAnsibleProviderOptions({ playbookPath: 'x.yml', extraArgs: `-e 'a` })).key).toBe('ansible_extra_args');
  });
});
