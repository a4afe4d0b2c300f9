import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoginUser } from './login-user';

const MAX_CAPTURED_OUTPUT = 64 * 1024;
let scriptsWritten = 0;

export interface RunAsUserTarget {
  user: LoginUser;
  homeDir: string;
  stateDir: string;
  instanceId: string;
}

/**
 * Runs a script on the instance as its login user — how user data runs at boot. The
 * environment is what an SSH login on that instance would see (HOME = the instance's home).
 */
export async function runScriptAsUser(
  { user, homeDir, stateDir, instanceId }: RunAsUserTarget,
  script: string,
): Promise<{ code: number | null; output: string }> {
  // Like cloud-init: a script with a "#!" line is executed by its interpreter, others by sh.
  scriptsWritten += 1;
  const scriptPath = join(stateDir, `user-data-${process.pid}-${scriptsWritten}`);
  await writeFile(scriptPath, script, { mode: 0o755 });
  const [command, args] = script.startsWith('#!') ? [scriptPath, []] : ['/bin/sh', [scriptPath]];
  try {
    return await runAs(user, homeDir, instanceId, command, args);
  } finally {
    await rm(scriptPath, { force: true });
  }
}

function runAs(
  user: LoginUser,
  homeDir: string,
  instanceId: string,
  command: string,
  args: string[],
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const switchUser = process.getuid?.() === 0 && user.uid !== 0;
    const child = spawn(command, args, {
      cwd: homeDir,
      // Node drops supplementary groups and switches uid/gid in the child before exec, like runuser.
      ...(switchUser ? { uid: user.uid, gid: user.gid } : {}),
      env: {
        HOME: homeDir,
        USER: user.name,
        LOGNAME: user.name,
        SHELL: '/bin/sh',
        PATH: '/usr/local/bin:/usr/bin:/bin',
        ELASTIQ_INSTANCE_ID: instanceId,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const capture = (chunk: Buffer) => {
      // Keep the tail: the end of a failing script's output is what explains the failure.
      output = (output + chunk.toString('utf8')).slice(-MAX_CAPTURED_OUTPUT);
    };
    child.stdout.on('data', capture);
    child.stderr.on('data', capture);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
