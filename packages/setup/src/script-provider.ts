import { readFile, stat } from 'node:fs/promises';
import { ConfigurationError } from '@elastiq/core';
import { type HostKey, SshConnectionError, execOnNode } from '@elastiq/ssh';
import type { NodeSetupResult, SetupContext, SetupNode, SetupOutcome, SetupProvider, SetupRunOptions } from './contracts';
import { isReadableFile } from './find-executable';
import { originOf } from './option-errors';
import { pinnedHostKeyOf, readPinnedHostKeys } from './pinned-host-keys';
import { MAX_SCRIPT_BYTES, buildScriptCommand } from './script-command';
import { type ScriptProviderOptions, type ScriptProviderOptionsInput, parseScriptProviderOptions } from './script-options';
import { runWithConcurrency } from './run-with-concurrency';

/** Connecting is quick or not at all; the rest of the per-node deadline belongs to the script. */
const CONNECT_TIMEOUT_MS = 30_000;

/** For users who don't want Ansible: one shell script per node (or per kind), run over SSH. */
export function createScriptProvider(input: ScriptProviderOptionsInput): SetupProvider {
  const options = parseScriptProviderOptions(input);
  return {
    name: 'script',
    checkPrerequisites: () => checkScripts(options),
    run: async (context, runOptions) => {
      await checkScripts(options);
      return runScripts(options, context, runOptions ?? {});
    },
  };
}

function configuredScripts(options: ScriptProviderOptions): Array<{ key: string; path: string }> {
  const scripts = Object.entries(options.kindScriptPaths).map(([kind, path]) => ({ key: `${kind}_script_path`, path }));
  if (options.scriptPath !== undefined) scripts.unshift({ key: 'script_path', path: options.scriptPath });
  return scripts;
}

async function checkScripts(options: ScriptProviderOptions): Promise<void> {
  const where = originOf(options);
  const scripts = configuredScripts(options);
  if (scripts.length === 0) {
    throw new ConfigurationError('no script to run', {
      ...where,
      key: 'script_path',
      hint: 'set `script_path` (every node) or `<kind>_script_path` (nodes of one kind)',
    });
  }
  for (const { key, path } of scripts) {
    if (!(await isReadableFile(path))) {
      throw new ConfigurationError(`script \`${path}\` does not exist or is not a readable file`, { ...where, key });
    }
    if ((await stat(path)).size > MAX_SCRIPT_BYTES) {
      throw new ConfigurationError(`script \`${path}\` is larger than ${MAX_SCRIPT_BYTES / 1024} KiB`, {
        ...where,
        key,
        hint: 'keep the setup script small and let it fetch or copy larger files itself',
      });
    }
  }
}

interface Attempt {
  result: Omit<NodeSetupResult, 'attempts'>;
  /** Whether running again can help (not after a host key mismatch or a refused login). */
  retryable: boolean;
}

async function runScripts(
  options: ScriptProviderOptions,
  context: SetupContext,
  { onLog = () => {}, onNodeResult = () => {}, signal }: SetupRunOptions,
): Promise<SetupOutcome> {
  const scriptTexts = new Map<string, string>();
  for (const { path } of configuredScripts(options)) scriptTexts.set(path, await readFile(path, 'utf8'));
  const pinnedKeys = await readPinnedHostKeys(context.knownHostsPath).catch(() => new Map<string, HostKey>());
  const results: Record<string, NodeSetupResult> = {};
  const settle = (node: string, result: NodeSetupResult) => {
    results[node] = result;
    onNodeResult(node, result);
  };

  await runWithConcurrency(context.nodes, options.concurrency, async (node) => {
    const scriptPath = options.kindScriptPaths[node.kind] ?? options.scriptPath;
    const script = scriptPath === undefined ? undefined : scriptTexts.get(scriptPath);
    if (script === undefined) {
      settle(node.name, { ok: true, status: 'skipped', reason: `no script for kind \`${node.kind}\``, attempts: 0 });
      return;
    }
    if (node.host === '') {
      settle(node.name, { ok: false, status: 'failed', reason: 'node has no IP address', attempts: 0 });
      return;
    }
    const pinnedHostKey = pinnedHostKeyOf(pinnedKeys, node.host, node.port);
    if (pinnedHostKey === undefined) {
      const reason = `no pinned host key for ${node.host}:${node.port} in ${context.knownHostsPath}`;
      settle(node.name, { ok: false, status: 'failed', reason, attempts: 0 });
      return;
    }
    const maxAttempts = options.retries + 1;
    for (let attempt = 1; ; attempt += 1) {
      const { result, retryable } = await runOnce(options, context, node, script, pinnedHostKey, onLog);
      if (result.ok || !retryable || attempt >= maxAttempts || signal?.aborted) {
        settle(node.name, { ...result, attempts: attempt });
        return;
      }
      onLog(`[${node.name}] elastiq: attempt ${attempt} of ${maxAttempts} ${result.status}: ${result.reason}; running again`);
    }
  });
  return { ok: Object.values(results).every((result) => result.ok), nodes: results };
}

async function runOnce(
  options: ScriptProviderOptions,
  context: SetupContext,
  node: SetupNode,
  script: string,
  pinnedHostKey: HostKey,
  onLog: (line: string) => void,
): Promise<Attempt> {
  const command = buildScriptCommand({
    script,
    clusterName: context.clusterName,
    nodeName: node.name,
    kind: node.kind,
    sudo: options.sudo,
  });
  try {
    const { code, stdout, stderr } = await execOnNode(
      {
        host: node.host,
        port: node.port,
        username: node.imageUser,
        privateKeyPath: context.privateKeyPath,
        timeoutMs: Math.min(CONNECT_TIMEOUT_MS, options.timeoutMs),
        proxyCommand: context.sshProxyCommand,
        pinnedHostKey,
        nodeName: node.name,
      },
      command,
      { timeoutMs: options.timeoutMs, maxOutputBytes: options.maxOutputBytes },
    );
    const output = tail(stdout + stderr, options.maxOutputBytes);
    for (const line of output.split('\n')) if (line.trim() !== '') onLog(`[${node.name}] ${line}`);
    if (code === 0) return { result: { ok: true, status: 'ok', exitCode: 0, output }, retryable: false };
    const reason = code === null ? 'script was killed by a signal' : `script exited with code ${code}`;
    return { result: { ok: false, status: 'failed', reason, exitCode: code, output }, retryable: true };
  } catch (error) {
    if (!(error instanceof SshConnectionError)) throw error;
    onLog(`[${node.name}] ${error.message}`);
    const lostForGood = error.kind === 'host-key-mismatch' || error.kind === 'auth';
    return {
      result: { ok: false, status: lostForGood ? 'failed' : 'unreachable', reason: error.message, exitCode: null },
      retryable: !lostForGood,
    };
  }
}

function tail(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= maxBytes ? text : bytes.subarray(bytes.length - maxBytes).toString('utf8');
}
