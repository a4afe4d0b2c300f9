import { writeFile } from 'node:fs/promises';
import { ConfigurationError } from '@elastiq/core';
import fc from 'fast-check';
import { ConfigSandbox } from './support/config-sandbox';
import { minimalConfig } from './support/minimal-config';

// Issue 14, part 2: configurations nobody wrote by hand. Whatever the file holds, loading it
// either gives templates (with dropped sections and warnings on one line each) or rejects with a
// ConfigurationError on one line: never a TypeError, never a stack trace, never a hang.
// Fixed seed and bounded runs: the same inputs on every machine, a few seconds in total.
const RUNS = { seed: 1414, numRuns: 150 };

const KEYS = [
  'provider', 'ec2_url', 'ec2_region', 'ec2_access_key', 'ec2_secret_key', 'image_user', 'user_key_name',
  'user_key_private', 'user_key_public', 'cloud', 'login', 'setup', 'image_id', 'flavor', 'frontend_nodes',
  'compute_nodes', 'compute_min_nodes', 'ssh_to', 'security_group', 'frontend_groups', 'compute_groups',
  'provider_type', 'playbook_path', 'image_userdata', 'network_ids', 'boot_disk_size',
];
const SECTIONS = ['DEFAULT', 'cloud/aws', 'login/ubuntu', 'setup/slurm', 'cluster/slurm', 'cluster/slurm/compute', 'cluster/x', 'storage', 'cluster/', 'weird'];

/** Value fragments that exercise the dialect: interpolation, expansion, delimiters, comments. */
const fragment = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('%%', '%(compute_nodes)s', '%(missing)s', '%(', '%', '%(a)', '%(elasticluster_playbooks)s', '%(self)s'),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: configuration text with ${VAR} references, not templates
  fc.constantFrom('$HOME', '${HOME}', '${', '$', '$UNDEFINED_VAR', '${}', '$1'),
  fc.constantFrom('=', ':', '#', ';', ' ', '\t', '[', ']', '~/', '..', '-1', '1e309', '99999999999999999999', '0x10'),
  fc.uint8Array({ maxLength: 8 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);
const value = fc.array(fragment, { maxLength: 6 }).map((parts) => parts.join(''));
const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KEYS) }, fc.string({ minLength: 1, maxLength: 10 }));
const indent = fc.constantFrom('', '', '', ' ', '  ', '\t');

const line = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...SECTIONS).map((name) => `[${name}]`) },
  { weight: 6, arbitrary: fc.tuple(indent, key, fc.constantFrom('=', ':', ' = ', ' : '), value).map((parts) => parts.join('')) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(' ', '    ', '\t'), value).map(([space, text]) => space + text) },
  fc.constantFrom('', '# comment', '; comment', '[unclosed', '=no key', 'no delimiter at all'),
);
const newline = fc.constantFrom('\n', '\r\n', '\r');
const iniText = fc.tuple(fc.array(line, { maxLength: 25 }), newline).map(([lines, eol]) => lines.join(eol));

let sandbox: ConfigSandbox;
beforeAll(async () => {
  sandbox = await ConfigSandbox.create();
});
afterAll(async () => {
  await sandbox.remove();
});

function expectOneLine(text: string): void {
  expect(text).not.toMatch(/[\r\n]/);
}

/** The property: a result whose diagnostics are one line each, or a one-line ConfigurationError. */
async function loadsOrExplains(text: string | Buffer): Promise<void> {
  const path = sandbox.path('generated.conf');
  await writeFile(path, text);
  try {
    const loaded = await sandbox.load(path, { env: { PATH: process.env.PATH, HOME: sandbox.homeDir } });
    for (const warning of loaded.warnings) expectOneLine(warning.message);
    for (const dropped of loaded.dropped) expectOneLine(dropped.reason);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    expectOneLine(error.toUserLine());
    expect(error.message).toContain(path);
  }
}

describe('generated configuration files', () => {
  it('random sections, keys, continuation lines and % / $ expansions load or fail with a one-line ConfigurationError', async () => {
    await fc.assert(fc.asyncProperty(iniText, loadsOrExplains), RUNS);
  });

  it('a valid configuration with random values appended to its sections loads or names the bad key on one line', async () => {
    const parts = fc.record({ cloud: iniText, login: iniText, setup: iniText, cluster: iniText, tail: iniText });
    await fc.assert(fc.asyncProperty(parts, (sections) => loadsOrExplains(minimalConfig(sections))), RUNS);
  });

  it('binary bytes anywhere in the file load or fail with a one-line ConfigurationError', async () => {
    const bytes = fc.tuple(fc.uint8Array({ maxLength: 400 }), fc.nat(2000)).map(([noise, at]) => {
      const text = Buffer.from(minimalConfig());
      const cut = Math.min(at, text.length);
      return Buffer.concat([text.subarray(0, cut), Buffer.from(noise), text.subarray(cut)]);
    });
    await fc.assert(fc.asyncProperty(bytes, loadsOrExplains), { ...RUNS, numRuns: 60 });
  });

  it('huge values and huge runs of blanks load or fail without a hang', async () => {
    const huge = fc.record({
      filler: fc.constantFrom(' ', '\t', 'x', '%%', '$A', ' = '),
      size: fc.integer({ min: 50_000, max: 200_000 }),
      where: fc.constantFrom('value', 'key', 'continuation'),
    });
    await fc.assert(
      fc.asyncProperty(huge, ({ filler, size, where }) => {
        const body = filler.repeat(Math.ceil(size / filler.length));
        const cluster = where === 'value' ? `image_userdata=a${body}b` : where === 'key' ? `a${body}b` : `image_userdata=a\n  ${body}`;
        return loadsOrExplains(minimalConfig({ cluster }));
      }),
      { ...RUNS, numRuns: 12 },
    );
  });
});

describe('crashes the generated configurations found, kept as regular tests', () => {
  it('a 200 kB line of blanks between two words is rejected at once (the key = value pattern backtracked quadratically: ~10 s at 100 kB)', async () => {
    const loading = sandbox.loadText(minimalConfig({ cluster: `a${' '.repeat(200_000)}b` }));
    await expect(loading).rejects.toThrow(/cannot parse 'a {10}/);
  });

  it('a value with a newline is quoted on one line in the error (\\n), so the CLI prints one line', async () => {
    const loading = sandbox.loadText(minimalConfig({ cluster: 'compute_nodes=4\n  more' }));
    await expect(loading).rejects.toThrow("compute_nodes: must be an integer (number of 'compute' nodes to start), got '4\\nmore'");
  });
});
