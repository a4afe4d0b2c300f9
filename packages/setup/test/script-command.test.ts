import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { buildScriptCommand } from '../src/script-command';

const execFileAsync = promisify(execFile);

describe('buildScriptCommand', () => {
  it("runs the script with sh, the node's identity in the environment, quotes intact", async () => {
    const command = buildScriptCommand({
      script: `printf '%s|%s|%s|%s\\n' "$ELASTIQ_CLUSTER" "$ELASTIQ_NODE" "$ELASTIQ_KIND" "it's \\"quoted\\""`,
      clusterName: "o'brien",
      nodeName: 'compute001',
      kind: 'compute',
      sudo: false,
    });
    // The remote login shell parses the command line exactly like this local sh.
    const { stdout } = await execFileAsync('/bin/sh', ['-c', command]);
    expect(stdout).toBe(`o'brien|compute001|compute|it's "quoted"\n`);
  });

  it('goes through non-interactive sudo when image_sudo is on', () => {
    const command = buildScriptCommand({ script: 'id', clusterName: 'c', nodeName: 'n', kind: 'k', sudo: true });
    expect(command).toBe('sudo -n env ELASTIQ_CLUSTER=c ELASTIQ_NODE=n ELASTIQ_KIND=k /bin/sh -c id');
  });
});
