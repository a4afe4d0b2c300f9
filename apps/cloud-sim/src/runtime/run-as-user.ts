import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bindHomeCommand, type HomeIsolation } from './home-isolation';
import type { LoginUser } from './login-user';

const MAX_CAPTURED_OUTPUT = 64 * 1024;
let scriptsWritten = 0;

export interface RunAsUserTarget {
  user: LoginUser;
  homeDir: string;
  stateDir: string;
  instanceId: string;
  homeIsolation: HomeIsolation;
}

export interface ScriptResult {
  code: number | null;
  output: string;
}

/**
 * Runs a script on the instance as its login user — how user data runs at boot. It sees the
 * home an SSH login on that instance would see (same HOME, same starting directory).
 */
export async function runScriptAsUser(target: RunAsUserTarget, script: string): Promise<ScriptResult> {
  scriptsWritten += 1;
  const scriptPath = join(target.stateDir, `user-data-${process.pid}-${scriptsWritten}`);
  await writeFile(scriptPath, script, { mode: 0o755 });
  // Like cloud-init: a script with a "#!" line is executed by its interpreter, others by sh.
  const interpreterAndScript = script.startsWith('#!') ? [scriptPath] : ['/bin/sh', scriptPath];
  try {
    return await capture(commandFor(target, interpreterAndScript), envFor(target));
  } finally {
    await rm(scriptPath, { force: true });
  }
}

function commandFor({ user, homeDir, homeIsolation }: RunAsUserTarget, script: string[]): string[] {
  const inHome = ['/bin/sh', '-c', 'cd "$HOME" && exec "$@"', 'user-data', ...script];
  if (process.getuid?.() !== 0) return inHome;
  const asUser = ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--', ...inHome];
  return homeIsolation === 'mount-namespace' ? [...bindHomeCommand(homeDir, user.home), ...asUser] : asUser;
}

function envFor({ user, homeDir, instanceId, homeIsolation }: RunAsUserTarget): NodeJS.ProcessEnv {
  return {
    HOME: homeIsolation === 'mount-namespace' ? user.home : homeDir,
    USER: user.name,
    LOGNAME: user.name,
    SHELL: '/bin/sh',
    PATH: '/usr/local/bin:/usr/bin:/bin',
    ELASTIQ_INSTANCE_ID: instanceId,
  };
}

function capture([command, ...args]: string[], env: NodeJS.ProcessEnv): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: '/', env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const append = (chunk: Buffer) => {
      // Keep the tail: the end of a failing script's output is what explains the failure.
      output = (output + chunk.toString('utf8')).slice(-MAX_CAPTURED_OUTPUT);
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
