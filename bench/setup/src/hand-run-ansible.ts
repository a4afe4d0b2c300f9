import { execFile, spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SetupNode } from '@elastiq/setup';

// The comparator: the same playbook run by hand the way its README tells a user to, with
// ansible-playbook's defaults (forks 5, no pipelining, ControlPersist 60 s). Only the places
// Ansible writes to are moved into the bench's temp dir, and the known_hosts file is the one the
// start pinned, so both runs check host keys.

const execFileAsync = promisify(execFile);

export interface HandRunResult {
  ok: boolean;
  exitCode: number | null;
  recap: string[];
}

export async function runPlaybookByHand(options: {
  dir: string;
  playbookPath: string;
  nodes: SetupNode[];
  privateKeyPath: string;
  knownHostsPath: string;
  clusterName: string;
}): Promise<HandRunResult> {
  const inventoryPath = join(options.dir, 'hosts.ini');
  const controlDir = join(options.dir, 'cp');
  await mkdir(controlDir, { recursive: true });
  const groups = new Map<string, SetupNode[]>();
  for (const node of options.nodes) groups.set(node.kind, [...(groups.get(node.kind) ?? []), node]);
  const lines: string[] = [];
  for (const [group, members] of groups) {
    lines.push(`[${group}]`, ...members.map((node) => `${node.name} ansible_host=${node.host} ansible_port=${node.port} ansible_user=${node.imageUser}`), '');
  }
  lines.push('[all:vars]', `ansible_ssh_common_args='-o UserKnownHostsFile=${options.knownHostsPath}'`, '');
  await writeFile(inventoryPath, lines.join('\n'));

  const argv = ['-i', inventoryPath, `--private-key=${options.privateKeyPath}`, options.playbookPath, '-e', JSON.stringify({ elasticluster: { name: options.clusterName } })];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ANSIBLE_HOME: join(options.dir, 'ansible-home'),
    ANSIBLE_LOCAL_TEMP: join(options.dir, 'ansible-local-tmp'),
    ANSIBLE_SSH_CONTROL_PATH_DIR: controlDir,
    ANSIBLE_NOCOLOR: '1',
  };
  // Whatever the caller's shell sets for Ansible would not be "defaults".
  for (const name of ['ANSIBLE_FORKS', 'ANSIBLE_PIPELINING', 'ANSIBLE_SSH_PIPELINING', 'ANSIBLE_SSH_ARGS', 'ANSIBLE_CONFIG']) delete env[name];

  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn('ansible-playbook', argv, { cwd: options.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text = (text + chunk.toString('utf8')).slice(-200_000);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      text = (text + chunk.toString('utf8')).slice(-200_000);
    });
    child.once('error', reject);
    child.once('close', (exitCode) => resolve({ code: exitCode, output: text }));
  });
  await closeControlMasters(controlDir);
  const recap = output.slice(output.lastIndexOf('PLAY RECAP')).split('\n').filter((line) => /\bok=\d+/.test(line));
  const allGood = recap.length === options.nodes.length && recap.every((line) => /unreachable=0\s+failed=0/.test(line));
  return { ok: code === 0 && allGood, exitCode: code, recap };
}

/** ControlPersist=60s leaves one ssh master per host running after the playbook: end them now. */
async function closeControlMasters(controlDir: string): Promise<void> {
  const sockets = await readdir(controlDir).catch(() => [] as string[]);
  await Promise.all(
    sockets.map((socket) => execFileAsync('ssh', ['-o', `ControlPath=${join(controlDir, socket)}`, '-O', 'exit', 'bench-control-master']).catch(() => undefined)),
  );
}
