/** A problem the operator of cloud-sim can fix (wrong user, missing sshd, bad spec). */
export class InstanceRuntimeError extends Error {
  override readonly name = 'InstanceRuntimeError';
}
