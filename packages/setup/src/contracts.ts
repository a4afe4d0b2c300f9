// The contract between the fleet and a setup provider (ElastiCluster's setup step).

export interface SetupNode {
  name: string;
  kind: string;
  host: string;
  port: number;
  imageUser: string;
  /** Host variables (Node.toVarsDict() plus the kind's <kind>_var_* / global_var_*). */
  vars: Record<string, unknown>;
}

export interface SetupContext {
  clusterName: string;
  nodes: SetupNode[];
  /** kind → Ansible groups (from <kind>_groups). */
  groups: Record<string, string[]>;
  /** Cluster-wide variables given to the playbook (the `elasticluster` extra-vars tree). */
  clusterVars: Record<string, unknown>;
  privateKeyPath: string;
  /** Path of the cluster's known_hosts file, written from the host keys the fleet pinned. */
  knownHostsPath: string;
  sshProxyCommand?: string;
  /** Working directory for inventory and extra-vars files (kept per cluster). */
  workDir: string;
  extraArgs: string[];
}

export interface NodeSetupResult {
  ok: boolean;
  /** failed | unreachable | ok | skipped */
  status: 'ok' | 'failed' | 'unreachable' | 'skipped';
  reason?: string;
  attempts: number;
  /** Script provider: the script's exit code on the last attempt (null: killed or never ran). */
  exitCode?: number | null;
  /** Script provider: the tail of the script's combined stdout and stderr on the last attempt. */
  output?: string;
}

export interface SetupRunOptions {
  onLog?: (line: string) => void;
  onNodeResult?: (node: string, result: NodeSetupResult) => void;
  signal?: AbortSignal;
}

export interface SetupOutcome {
  ok: boolean;
  nodes: Record<string, NodeSetupResult>;
}

export interface SetupProvider {
  readonly name: 'ansible' | 'script' | 'none';
  /** Throws ConfigurationError naming what is missing (playbook file, ansible-playbook on PATH...) before anything runs. */
  checkPrerequisites(): Promise<void>;
  run(context: SetupContext, options?: SetupRunOptions): Promise<SetupOutcome>;
}
