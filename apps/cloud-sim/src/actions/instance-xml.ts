import { itemSet } from '../api/xml-response';
import { ACCOUNT_ID, VPC_ID } from '../sim/catalog';
import { type InstanceStateName, type SimInstance, type SimReservation, STATE_CODES } from '../sim/sim-state';

// The XML shape of an instance as EC2 (and therefore the SDK's and boto's parsers) writes it.

export function stateXml(state: InstanceStateName) {
  return { code: STATE_CODES[state], name: state };
}

export function tagSetXml(tags: ReadonlyMap<string, string>) {
  return itemSet([...tags].map(([key, value]) => ({ key, value })));
}

/** EC2 says why an instance stopped or ended: the user, or the cloud (`Server.*`, e.g. a fault). */
function stateReasonXml(reason: string) {
  const code = /^(Server\.[A-Za-z]+):/.exec(reason)?.[1] ?? 'Client.UserInitiatedShutdown';
  return { code, message: reason.startsWith(code) ? reason : `${code}: ${reason}` };
}

export function instanceXml(instance: SimInstance) {
  const dashed = instance.address.replaceAll('.', '-');
  const gone = instance.state === 'terminated';
  return {
    instanceId: instance.instanceId,
    imageId: instance.imageId,
    instanceState: stateXml(instance.state),
    privateDnsName: gone ? '' : `ip-${dashed}.ec2.internal`,
    dnsName: '',
    reason: instance.stateTransitionReason,
    keyName: instance.keyName,
    amiLaunchIndex: instance.launchIndex,
    productCodes: '',
    instanceType: instance.instanceType,
    launchTime: instance.launchTime.toISOString(),
    placement: { availabilityZone: instance.availabilityZone, groupName: '', tenancy: 'default' },
    monitoring: { state: 'disabled' },
    subnetId: gone ? undefined : instance.subnetId,
    vpcId: gone ? undefined : VPC_ID,
    // One loopback address serves as both: it is the address SSH answers on. Like EC2, the
    // private address is known from launch and the public one only while running.
    privateIpAddress: gone ? undefined : instance.address,
    ipAddress: instance.state === 'running' ? instance.address : undefined,
    sourceDestCheck: true,
    groupSet: itemSet(instance.securityGroups.map((group) => ({ groupId: group.groupId, groupName: group.groupName }))),
    // EC2 says why from the moment an instance starts to end or stop, not only once it has.
    stateReason: instance.stateTransitionReason !== '' && instance.state !== 'running' && instance.state !== 'pending' ? stateReasonXml(instance.stateTransitionReason) : undefined,
    architecture: 'x86_64',
    rootDeviceType: 'ebs',
    rootDeviceName: '/dev/xvda',
    blockDeviceMapping: '',
    virtualizationType: 'hvm',
    clientToken: instance.clientToken ?? '',
    instanceLifecycle: instance.spot ? 'spot' : undefined,
    spotInstanceRequestId: instance.spot?.requestId,
    tagSet: tagSetXml(instance.tags),
    hypervisor: 'xen',
    ebsOptimized: false,
    enaSupport: true,
  };
}

export function reservationXml(reservation: SimReservation, instances: readonly SimInstance[]) {
  return {
    reservationId: reservation.reservationId,
    ownerId: ACCOUNT_ID,
    groupSet: itemSet(reservation.groups.map((group) => ({ groupId: group.groupId, groupName: group.groupName }))),
    instancesSet: itemSet(instances.map(instanceXml)),
  };
}
