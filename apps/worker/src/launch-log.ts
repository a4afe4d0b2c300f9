import type { LaunchCall, LaunchOutcome } from './launch-coalescer';

// One line per node-start job that ties the node to the cloud call that launched it: the batch
// id is a tag on the instances and the ClientToken is what EC2 deduplicates on, so a user can
// find the same call in CloudTrail or in `describe-instances`.

function describeCall(call: LaunchCall): string {
  return `launch batch ${call.batchId}: RunInstances MinCount=1 MaxCount=${call.maxCount} token=${call.clientToken}`;
}

export function launchLogLine(outcome: LaunchOutcome): string {
  if (outcome.kind === 'launched') {
    if (outcome.call === null) return `instance ${outcome.instanceId} (its launch batch is no longer recorded)`;
    return `${describeCall(outcome.call)} → instance ${outcome.instanceId} (launch index ${outcome.call.launchIndex})`;
  }
  const refusal = outcome.code !== undefined && !outcome.reason.startsWith(outcome.code) ? `${outcome.code}: ${outcome.reason}` : outcome.reason;
  return outcome.call === undefined ? `not launched: ${refusal}` : `${describeCall(outcome.call)} → not launched: ${refusal}`;
}
