import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import { InstanceRuntimeError } from './runtime-error';

const execFileAsync = promisify(execFile);

export interface LoginUser {
  name: string;
  uid: number;
  gid: number;
  /** The account's passwd home directory. */
  home: string;
}

/**
 * Resolves the image's login user to a local account.
 *
 * A root sshd can log in any local account, so the image user must exist: it is created
 * (system account, /bin/sh, no usable password) when missing. A non-root sshd can only
 * authenticate the account it runs as, so there the image user must be the current user.
 */
export class LoginUserResolver {
  private readonly pending = new Map<string, Promise<LoginUser>>();

  constructor(private readonly log: Logger) {}

  resolve(name: string): Promise<LoginUser> {
    let user = this.pending.get(name);
    if (!user) {
      // Memoised so that 100 instances of a new image create its user once, not race 100 useradds.
      user = this.lookUpOrCreate(name);
      user.catch(() => this.pending.delete(name));
      this.pending.set(name, user);
    }
    return user;
  }

  private async lookUpOrCreate(name: string): Promise<LoginUser> {
    const current = userInfo();
    if (current.uid !== 0) {
      if (name !== current.username) {
        throw new InstanceRuntimeError(
          `image user "${name}" cannot log in: cloud-sim runs as "${current.username}" (not root), and an unprivileged sshd can only authenticate its own account. Configure the image's user as "${current.username}", or run cloud-sim as root.`,
        );
      }
      return { name, uid: current.uid, gid: current.gid, home: current.homedir };
    }
    const existing = await lookUp(name);
    if (existing) return existing;
    this.log.warn(
      { user: name },
      'creating local system account for image user (useradd --system --shell /bin/sh --create-home); sshd instances log in as real local accounts',
    );
    // "*" rather than useradd's default "!": with UsePAM no, sshd treats "!" as a locked account
    // and refuses even public-key logins; "*" only means "no password can match".
    try {
      await execFileAsync('useradd', ['--system', '--shell', '/bin/sh', '--create-home', '--password', '*', name]);
    } catch (error) {
      // Exit 9: another process (a parallel test file's cloud-sim) created it first — fine.
      if ((error as { code?: unknown }).code !== 9) throw error;
    }
    const created = await lookUp(name);
    if (!created) throw new InstanceRuntimeError(`useradd reported success but user "${name}" does not exist`);
    return created;
  }
}

async function lookUp(name: string): Promise<LoginUser | undefined> {
  try {
    const { stdout } = await execFileAsync('getent', ['passwd', name]);
    const [, , uid, gid, , home] = stdout.trim().split(':');
    return { name, uid: Number(uid), gid: Number(gid), home };
  } catch (error) {
    // getent exits 2 when the key is not found.
    if ((error as { code?: unknown }).code === 2) return undefined;
    throw error;
  }
}
