import { z } from 'zod';
import { Ec2Error } from '../api/ec2-error';
import { filterList, listOf } from '../api/param-schemas';
import { parseActionParams } from '../api/query-params';
import { itemSet } from '../api/xml-response';
import { ACCOUNT_ID, availabilityZonesOf, INSTANCE_TYPES, type SimImage, type SimInstanceType } from '../sim/catalog';
import type { ActionContext } from './action-context';
import { compileFilters, type FilterField } from './resource-filters';

// What never changes while cloud-sim runs: images, zones, instance types.

const describeImagesParams = z.object({
  ImageId: listOf(z.string()).optional(),
  Owner: listOf(z.string()).optional(),
  Filter: filterList.optional(),
});

function imageFilterField(name: string): FilterField<SimImage> | undefined {
  const fields: Record<string, FilterField<SimImage>> = {
    'image-id': (image) => image.imageId,
    name: (image) => image.name ?? image.imageId,
    state: () => 'available',
    'owner-id': () => ACCOUNT_ID,
    architecture: () => 'x86_64',
  };
  return fields[name];
}

export function describeImages(context: ActionContext): object {
  const params = parseActionParams(describeImagesParams, context.params);
  const missing = (params.ImageId ?? []).filter((id) => !context.images.has(id));
  if (missing.length > 0) {
    throw new Ec2Error('InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`);
  }
  const matches = compileFilters(params.Filter ?? [], imageFilterField);
  const images = [...context.images.values()].filter(
    (image) => (!params.ImageId || params.ImageId.includes(image.imageId)) && matches(image),
  );
  return {
    imagesSet: itemSet(
      images.map((image) => ({
        imageId: image.imageId,
        imageLocation: `cloud-sim/${image.name ?? image.imageId}`,
        imageState: 'available',
        imageOwnerId: ACCOUNT_ID,
        isPublic: true,
        architecture: 'x86_64',
        imageType: 'machine',
        name: image.name ?? image.imageId,
        description: `login user: ${image.user}`,
        rootDeviceType: 'ebs',
        rootDeviceName: '/dev/xvda',
        virtualizationType: 'hvm',
        hypervisor: 'xen',
        platformDetails: 'Linux/UNIX',
        blockDeviceMapping: '',
      })),
    ),
  };
}

const describeZonesParams = z.object({ ZoneName: listOf(z.string()).optional(), Filter: filterList.optional() });

export function describeAvailabilityZones(context: ActionContext): object {
  const params = parseActionParams(describeZonesParams, context.params);
  const zones = availabilityZonesOf(context.region);
  const unknown = (params.ZoneName ?? []).find((zone) => !zones.includes(zone));
  if (unknown !== undefined) throw new Ec2Error('InvalidParameterValue', `Invalid availability zone: [${unknown}]`);
  const matches = compileFilters<string>(params.Filter ?? [], (name) =>
    name === 'zone-name' ? (zone) => zone : name === 'state' ? () => 'available' : name === 'region-name' ? () => context.region : undefined,
  );
  return {
    availabilityZoneInfo: itemSet(
      zones
        .filter((zone) => (!params.ZoneName || params.ZoneName.includes(zone)) && matches(zone))
        .map((zone, index) => ({
          zoneName: zone,
          zoneState: 'available',
          regionName: context.region,
          zoneId: `sim-az${index + 1}`,
          zoneType: 'availability-zone',
          messageSet: '',
        })),
    ),
  };
}

const describeTypesParams = z.object({ InstanceType: listOf(z.string()).optional(), Filter: filterList.optional() });

function typeXml(type: SimInstanceType) {
  return {
    instanceType: type.instanceType,
    currentGeneration: true,
    supportedUsageClasses: itemSet(['on-demand']),
    supportedRootDeviceTypes: itemSet(['ebs']),
    supportedVirtualizationTypes: itemSet(['hvm']),
    hypervisor: 'nitro',
    processorInfo: { supportedArchitectures: itemSet(['x86_64']) },
    vCpuInfo: { defaultVCpus: type.vcpus, defaultCores: Math.max(1, type.vcpus / 2), defaultThreadsPerCore: type.vcpus > 1 ? 2 : 1 },
    memoryInfo: { sizeInMiB: type.memoryMiB },
    instanceStorageSupported: false,
  };
}

export function describeInstanceTypes(context: ActionContext): object {
  const params = parseActionParams(describeTypesParams, context.params);
  const unknown = (params.InstanceType ?? []).find((name) => !INSTANCE_TYPES.some((type) => type.instanceType === name));
  if (unknown !== undefined) {
    throw new Ec2Error('InvalidInstanceType', `The following supplied instance types do not exist: [${unknown}]`);
  }
  const matches = compileFilters<SimInstanceType>(params.Filter ?? [], (name) =>
    name === 'instance-type' ? (type) => type.instanceType : name === 'vcpu-info.default-vcpus' ? (type) => String(type.vcpus) : undefined,
  );
  const types = INSTANCE_TYPES.filter(
    (type) => (!params.InstanceType || params.InstanceType.includes(type.instanceType)) && matches(type),
  );
  return { instanceTypeSet: itemSet(types.map(typeXml)) };
}
