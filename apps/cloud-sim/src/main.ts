#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import type { CloudSimOptions } from './cloud-sim-options';
import { BOOT_DELAY_SYNTAX } from './sim/boot-delay';
import { parseDuration } from './sim/duration';
import type { FaultConfig } from './sim/faults';
import { startCloudSim } from './start-cloud-sim';

// elastiq-cloud-sim: prints one "ready" line on stdout, then serves until SIGTERM/SIGINT, when
// it stops every instance's SSH server before exiting.

function integer(name: string) {
  return (text: string) => {
    if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`${name} must be a whole number, got "${text}"`);
    return Number(text);
  };
}

function duration(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new InvalidArgumentError(`"${text}" is not a duration (e.g. 300ms, 2s, 1m)`);
  return ms;
}

function collect<T>(parse: (text: string) => T) {
  return (text: string, previous: T[] = []) => [...previous, parse(text)];
}

function image(text: string) {
  const match = /^(ami-[0-9a-z]+):([a-z_][a-z0-9_-]*)(:nossh)?$/.exec(text);
  if (!match) throw new InvalidArgumentError(`--image must be AMI_ID:USER[:nossh], e.g. ami-sim:elastiq, got "${text}"`);
  return { imageId: match[1], user: match[2], ssh: match[3] ? false : undefined };
}

function capacity(text: string) {
  const match = /^([\w.]+)(?:@([\w-]+))?=(\d+)$/.exec(text);
  if (!match) throw new InvalidArgumentError(`--capacity must be TYPE[@ZONE]=COUNT, e.g. m5.large@us-east-1a=3, got "${text}"`);
  return { instanceType: match[1], availabilityZone: match[2], limit: Number(match[3]) };
}

function faultsJson(source: string, text: string): FaultConfig {
  try {
    return JSON.parse(text) as FaultConfig;
  } catch {
    throw new InvalidArgumentError(`${source} is not JSON (same shape as POST /_sim/faults, see docs/cloud-sim.md)`);
  }
}

const program = new Command('elastiq-cloud-sim')
  .description('A local EC2-compatible cloud whose instances are real SSH servers on loopback addresses.')
  .option('--host <address>', 'loopback address to listen on', '127.0.0.1')
  .option('--port <port>', 'port to listen on (0 = any free port)', integer('--port'), 0)
  .option('--region <region>', 'region name the simulated account lives in', 'us-east-1')
  .option('--boot-delay <spec>', `launch → SSH-ready time: ${BOOT_DELAY_SYNTAX}`, 'uniform:500ms..1500ms')
  .option('--seed <n>', 'seed for boot delays and fault rates', integer('--seed'), 1)
  .option('--rate-limit-scale <factor>', 'multiply every AWS throttling bucket by this factor', Number.parseFloat, 1)
  .option('--no-rate-limits', 'do not throttle at all')
  .option('--runtime <mode>', 'sshd (real OpenSSH per instance), light, or none (no SSH servers)', 'sshd')
  .option('--home-isolation <mode>', 'sshd runtime: mount-namespace (root only; default as root) or set-env (needed in a container without CAP_SYS_ADMIN)')
  .option('--image <ami:user[:nossh]>', 'an image and its login user (repeatable; default ami-sim:elastiq)', collect(image))
  .option('--root-dir <dir>', 'where instance state lives (default: a temporary directory)')
  .option('--keep-state', 'keep the account in <root-dir>/account.json and restore it at start: a restarted cloud-sim knows its instances')
  .option('--transition <duration>', 'stopping/shutting-down duration', duration, 300)
  .option('--terminated-retention <duration>', 'how long terminated instances stay visible', duration, 600_000)
  .option('--address-block <n>', 'instances get addresses 127.N.*.* (default: any free block)', integer('--address-block'))
  .option('--capacity <type[@zone]=count>', 'instances (pending/running/stopping) allowed per type (repeatable)', collect(capacity))
  .option('--instance-quota <n>', 'account limit on pending/running/stopping instances', integer('--instance-quota'))
  .option('--faults <json>', 'faults active from the start (shape of POST /_sim/faults)')
  .option('--faults-file <path>', 'the same, read from a JSON file')
  .option('--log-level <level>', 'silent, error, warn, info or debug (logs go to stderr)', 'warn');

async function main(): Promise<void> {
  program.parse();
  const flags = program.opts();
  const faults: FaultConfig = {
    ...(flags.faultsFile ? faultsJson(flags.faultsFile, readFileSync(flags.faultsFile, 'utf8')) : {}),
    ...(flags.faults ? faultsJson('--faults', flags.faults) : {}),
    ...(flags.capacity ? { capacity: flags.capacity } : {}),
    ...(flags.instanceQuota !== undefined ? { instanceQuota: flags.instanceQuota } : {}),
  };
  const options: CloudSimOptions = {
    host: flags.host,
    port: flags.port,
    region: flags.region,
    bootDelay: flags.bootDelay,
    seed: flags.seed,
    rateLimits: flags.rateLimits === false ? 'off' : { scale: flags.rateLimitScale },
    runtime: flags.runtime,
    homeIsolation: flags.homeIsolation,
    images: flags.image,
    rootDir: flags.rootDir,
    keepState: flags.keepState === true,
    transitionMs: flags.transition,
    terminatedRetentionMs: flags.terminatedRetention,
    addressBlock: flags.addressBlock,
    faults,
    logLevel: flags.logLevel,
  };
  const sim = await startCloudSim(options);
  process.stdout.write(`cloud-sim ready at ${sim.endpoint} region=${sim.region} pid=${process.pid}\n`);
  const shutdown = (signal: string) => {
    process.stderr.write(`cloud-sim: ${signal}, stopping every instance\n`);
    sim.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`cloud-sim: shutdown failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // A user mistake (bad flag, port in use): one line, no stack trace.
  process.stderr.write(`elastiq-cloud-sim: ${(error as Error).message}\n`);
  process.exit(2);
});
