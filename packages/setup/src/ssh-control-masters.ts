import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Ansible's ControlPersist masters outlive ansible-playbook by design (60 s by default). elastiq
 * gives each cluster its own control dir and closes every master after a setup run, so no ssh
 * process is left connected to a node nobody is configuring.
 */
export async function closeSshControlMasters(controlPathDir: string): Promise<void> {
  const entries = await readdir(controlPathDir).catch(() => [] as string[]);
  await Promise.all(
    entries.map((entry) =>
      execFileAsync('ssh', ['-o', `ControlPath=${join(controlPathDir, entry)}`, '-O', 'exit', 'elastiq-control-master'], {
        timeout: 5000,
      }).catch(() => undefined),
    ),
  );
}
