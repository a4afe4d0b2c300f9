import { execFileSync } from 'node:child_process';

function succeeds(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/** `docker compose` (the v2 plugin) where present, else Debian's `docker-compose`. */
export function composeCommand(): string[] {
  if (succeeds('docker', ['compose', 'version'])) return ['docker', 'compose'];
  return ['docker-compose'];
}

/**
 * Why the compose test cannot run here, or null when it can. It is opt-in because it builds an
 * image (minutes): .ci/run sets ELASTIQ_COMPOSE_TEST=1 once it has the engine and the base image.
 */
export function composeSkipReason(): string | null {
  if (process.env.ELASTIQ_COMPOSE_TEST !== '1') return 'ELASTIQ_COMPOSE_TEST is not 1 (.ci/run sets it when Docker can run)';
  if (process.getuid?.() !== 0) return 'starting its own dockerd needs root';
  if (!succeeds('dockerd', ['--version'])) return 'dockerd is not installed (apt-get install docker.io)';
  if (!succeeds('docker', ['--version'])) return 'the docker client is not installed';
  const compose = composeCommand();
  if (!succeeds(compose[0], [...compose.slice(1), 'version'])) return 'neither `docker compose` nor `docker-compose` is installed (apt-get install docker-compose)';
  return null;
}
