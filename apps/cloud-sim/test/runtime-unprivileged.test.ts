import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chown } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { createInterface } from 'node:readline';
import { generateSshKeyPair, makeTempDir, type TempDir } from '@elastiq/testing';
import type { SshEndpoint } from '../src/runtime';
import { isAlive, sshExec } from './runtime-ssh-client';

// cloud-sim run by an ordinary user: this test (root) runs the runtime as the image account.
const UNPRIVILEGED_USER = 'elastiq-sim';

let root: TempDir;

beforeAll(async () => {
  root = await makeTempDir('runtime-unprivileged');
});

afterAll(async () => {
  await root.cleanup();
});

describe('sshd runtime without root', () => {
  it('serves only its own account, on a free port of the instance address, with HOME set to the instance home', async () => {
    // Makes sure the account exists (as root, the runtime would create it for an image anyway).
    execFileSync('sh', ['-c', `id -u ${UNPRIVILEGED_USER} >/dev/null 2>&1 || useradd --system --shell /bin/sh --create-home --password '*' ${UNPRIVILEGED_USER}`]);
    const uid = Number(execFileSync('id', ['-u', UNPRIVILEGED_USER], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', UNPRIVILEGED_USER], { encoding: 'utf8' }));
    await chown(root.path, uid, gid);
    const key = await generateSshKeyPair(root.path);
    const spec = (username: string) => ({
      instanceId: 'i-unprivileged',
      address: '127.0.14.1',
      port: 0,
      username,
      authorizedKeys: key.publicKey,
      stateDir: join(root.path, 'state'),
      homeDir: join(root.path, 'home'),
    });
    // The runtime and pino as one file in the account's own directory: the account runs exactly
    // this code without needing to read the checkout, whose folder may be private to root (a clone
    // under `mktemp -d` is mode 0700). ssh2's optional native add-ons stay out (it falls back to JS).
    const bundle = join(root.path, 'runtime-bundle.js');
    buildSync({
      stdin: { contents: `module.exports = { ...require('./src/runtime'), pino: require('pino') };`, resolveDir: resolve(__dirname, '..'), loader: 'js' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['*.node'],
      outfile: bundle,
      logLevel: 'error',
    });
    await chown(bundle, uid, gid);
    // Each result is printed as one JSON line; closing stdin shuts the runtime down.
    const host = `
      const { createRuntime, pino } = require(${JSON.stringify(bundle)});
      const say = (value) => console.log(JSON.stringify(value));
      const runtime = createRuntime({ mode: 'sshd', rootDir: ${JSON.stringify(root.path)}, logger: pino({ level: 'silent' }) });
      (async () => {
        await runtime.start(${JSON.stringify(spec('root'))}).then(() => say({ unexpected: 'started' }), (error) => say({ error: error.message }));
        const endpoint = await runtime.start(${JSON.stringify(spec(UNPRIVILEGED_USER))});
        say({ address: endpoint.address, port: endpoint.port, pid: runtime.sshdPidOf('i-unprivileged') });
        process.stdin.resume();
        process.stdin.on('end', () => runtime.shutdown().then(() => process.exit(0)));
      })().catch((error) => { say({ failed: error.message }); process.exit(1); });
    `;
    const hostProcess = spawn(
      'setpriv',
      [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', process.execPath, '-e', host],
      { cwd: root.path, env: { PATH: process.env.PATH, HOME: root.path }, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    try {
      const lines = createInterface({ input: hostProcess.stdout })[Symbol.asyncIterator]();
      const next = async () => JSON.parse((await lines.next()).value as string);

      expect(await next()).toEqual({
        error: expect.stringMatching(/image user "root" cannot log in: cloud-sim runs as "elastiq-sim" \(not root\)/),
      });
      const started = (await next()) as { address: string; port: number; pid: number };
      expect(started.port).not.toBe(22);
      const endpoint = { address: started.address, port: started.port } as SshEndpoint;
      const result = await sshExec(endpoint, 'id -un; echo ~; pwd', {
        username: UNPRIVILEGED_USER,
        privateKeyPath: key.privateKeyPath,
      });
      const home = spec(UNPRIVILEGED_USER).homeDir;
      expect(result.stdout).toBe(`${UNPRIVILEGED_USER}\n${home}\n${home}\n`);

      hostProcess.stdin.end();
      const [code] = await once(hostProcess, 'exit');
      expect(code).toBe(0);
      expect(isAlive(started.pid)).toBe(false);
    } finally {
      hostProcess.kill('SIGKILL');
    }
  }, 60_000);
});
