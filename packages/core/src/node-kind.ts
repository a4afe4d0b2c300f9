import { ConfigurationError } from './errors';

// A kind becomes part of host names (compute001) and Ansible group keys, and the naming policy
// finds the index as the trailing digits: hence letters, digits and hyphens, not ending in a digit.
const VALID_KIND = /^[a-z0-9-]*[a-z-]$/i;

export function isValidNodeKind(kind: string): boolean {
  return VALID_KIND.test(kind);
}

/** Throws a ConfigurationError that says what a kind may look like. */
export function assertValidNodeKind(kind: string): void {
  if (isValidNodeKind(kind)) return;
  const problem = /\d$/.test(kind) ? 'must not end in a digit' : 'may only contain letters, digits and hyphens';
  throw new ConfigurationError(`invalid node kind \`${kind}\`: ${problem}`, {
    hint: 'rename the kind, e.g. `small-worker` instead of `small_worker`, `gpu-a` instead of `gpu2`',
  });
}
