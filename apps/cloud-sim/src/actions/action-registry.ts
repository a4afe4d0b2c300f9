import type { ActionHandler } from './action-context';
import { describeInstances } from './describe-instances';
import { describeAvailabilityZones, describeImages, describeInstanceTypes } from './describe-static';
import { startInstances, stopInstances, terminateInstances } from './instance-state-actions';
import { deleteKeyPair, describeKeyPairs, importKeyPair } from './key-pairs';
import { runInstances } from './run-instances';
import {
  authorizeSecurityGroupIngress,
  createSecurityGroup,
  deleteSecurityGroup,
  describeSecurityGroups,
} from './security-groups';
import { createTags, deleteTags } from './tags';

/** Every EC2 action cloud-sim answers; anything else is `InvalidAction`. */
export const ACTIONS: Readonly<Record<string, ActionHandler>> = {
  RunInstances: runInstances,
  DescribeInstances: describeInstances,
  TerminateInstances: terminateInstances,
  StopInstances: stopInstances,
  StartInstances: startInstances,
  CreateTags: createTags,
  DeleteTags: deleteTags,
  ImportKeyPair: importKeyPair,
  DescribeKeyPairs: describeKeyPairs,
  DeleteKeyPair: deleteKeyPair,
  CreateSecurityGroup: createSecurityGroup,
  DescribeSecurityGroups: describeSecurityGroups,
  AuthorizeSecurityGroupIngress: authorizeSecurityGroupIngress,
  DeleteSecurityGroup: deleteSecurityGroup,
  DescribeImages: describeImages,
  DescribeAvailabilityZones: describeAvailabilityZones,
  DescribeInstanceTypes: describeInstanceTypes,
};
