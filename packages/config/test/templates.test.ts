import { ConfigurationError, describeTemplate, getTemplate } from '../src';
import { ConfigSandbox } from './support/config-sandbox';
import { minimalConfig } from './support/minimal-config';

let sandbox: ConfigSandbox;
beforeAll(async () => {
  sandbox = await ConfigSandbox.create();
});
afterAll(async () => {
  await sandbox.remove();
});

describe('getTemplate', () => {
  it('returns a loaded template', async () => {
    const config = await sandbox.loadText(minimalConfig());
    expect(getTemplate(config, 'slurm').name).toBe('slurm');
  });

  it('names the template and lists the valid ones when it does not exist', async () => {
    const config = await sandbox.loadText(minimalConfig());
    expect(() => getTemplate(config, 'slrum')).toThrow(ConfigurationError);
    expect(() => getTemplate(config, 'slrum')).toThrow('No cluster template named `slrum`. Valid templates: slurm');
  });
});

describe('describeTemplate', () => {
  it('gives the list-templates --json object with values after defaults, inheritance and overrides, and no credentials', async () => {
    const config = await sandbox.loadText(
      minimalConfig({ cloud: 'ec2_access_key=AKIA-SECRET\nec2_secret_key=VERY-SECRET', tail: '[cluster/slurm/compute]\nimage_user=centos\nsecurity_group=workers' }),
    );
    const description = describeTemplate(getTemplate(config, 'slurm'));
    expect(description).toEqual({
      name: 'slurm',
      cloud: 'aws',
      login: 'ubuntu',
      setup: 'slurm',
      kinds: {
        compute: { count: 4, min: 4, image_id: 'ami-123', flavor: 't3.large', image_user: 'centos', security_group: 'workers', groups: ['slurm_worker'] },
        frontend: { count: 1, min: 1, image_id: 'ami-123', flavor: 't3.large', image_user: 'ubuntu', security_group: 'default', groups: ['slurm_master'] },
      },
    });
    expect(JSON.stringify(description)).not.toMatch(/SECRET/);
  });

  it('takes EC2 credentials from EC2_ACCESS_KEY / EC2_SECRET_KEY when the cloud section has none', async () => {
    const config = await sandbox.loadText(minimalConfig(), { env: { EC2_ACCESS_KEY: 'from-env', EC2_SECRET_KEY: 'secret-from-env' } });
    expect(config.templates.slurm?.cloud).toMatchObject({ ec2AccessKey: 'from-env', ec2SecretKey: 'secret-from-env' });
    const none = await sandbox.loadText(minimalConfig(), { env: {} });
    expect(none.templates.slurm?.cloud.ec2AccessKey).toBeUndefined();
  });
});
