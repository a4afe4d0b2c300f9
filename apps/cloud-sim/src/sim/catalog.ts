// What the simulated region offers: images, instance types, availability zones.

export interface SimImage {
  imageId: string;
  /** The login user of the image (what ElastiCluster calls image_user). */
  user: string;
  name?: string;
  /** false: instances of this image never start an SSH server (for API-only tests at scale). */
  ssh?: boolean;
}

export interface SimInstanceType {
  instanceType: string;
  vcpus: number;
  memoryMiB: number;
}

export const DEFAULT_IMAGE: SimImage = { imageId: 'ami-sim', user: 'elastiq', name: 'cloud-sim default image' };

/** A handful of real type names, so configurations written for AWS also work here. */
export const INSTANCE_TYPES: readonly SimInstanceType[] = [
  { instanceType: 't3.nano', vcpus: 2, memoryMiB: 512 },
  { instanceType: 't3.micro', vcpus: 2, memoryMiB: 1024 },
  { instanceType: 't3.small', vcpus: 2, memoryMiB: 2048 },
  { instanceType: 't3.medium', vcpus: 2, memoryMiB: 4096 },
  { instanceType: 't2.micro', vcpus: 1, memoryMiB: 1024 },
  { instanceType: 'm5.large', vcpus: 2, memoryMiB: 8192 },
  { instanceType: 'm5.xlarge', vcpus: 4, memoryMiB: 16384 },
  { instanceType: 'c5.large', vcpus: 2, memoryMiB: 4096 },
  { instanceType: 'c5.xlarge', vcpus: 4, memoryMiB: 8192 },
  { instanceType: 'c5.4xlarge', vcpus: 16, memoryMiB: 32768 },
];

export const DEFAULT_INSTANCE_TYPE = 'm5.large';

export function availabilityZonesOf(region: string): string[] {
  return ['a', 'b', 'c'].map((letter) => `${region}${letter}`);
}

export const ACCOUNT_ID = '123456789012';
export const VPC_ID = 'vpc-0000000000000sim0';
