import { shellQuote } from './shell-quote';

/**
 * Linux refuses a single argument over 128 KiB (MAX_ARG_STRLEN), and the script travels as the
 * `-c` argument of the remote shell: keep a margin for quoting.
 */
export const MAX_SCRIPT_BYTES = 100 * 1024;

/**
 * The command line that runs a setup script on a node: POSIX sh, with the node's identity in the
 * environment (ELASTIQ_CLUSTER, ELASTIQ_NODE, ELASTIQ_KIND), through `sudo -n` when the image
 * user must become root (non-interactive: a password prompt would hang until the timeout).
 */
export function buildScriptCommand(options: {
  script: string;
  clusterName: string;
  nodeName: string;
  kind: string;
  sudo: boolean;
}): string {
  const environment = [
    `ELASTIQ_CLUSTER=${shellQuote(options.clusterName)}`,
    `ELASTIQ_NODE=${shellQuote(options.nodeName)}`,
    `ELASTIQ_KIND=${shellQuote(options.kind)}`,
  ];
  const command = ['env', ...environment, '/bin/sh', '-c', shellQuote(options.script)].join(' ');
  return options.sudo ? `sudo -n ${command}` : command;
}
