import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DeleteKeyPairCommand,
  DeleteSecurityGroupCommand,
  DeleteTagsCommand,
  DescribeAvailabilityZonesCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  ImportKeyPairCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { utils } from 'ssh2';
import { type RunningCloudSim, startCloudSim } from '../src';
import { ec2ClientFor, errorCodeOf } from './support/ec2-client';

describe('key pairs, security groups, tags and static descriptions', () => {
  let sim: RunningCloudSim;
  let ec2: EC2Client;

  beforeAll(async () => {
    sim = await startCloudSim({
      runtime: 'none',
      rateLimits: 'off',
      images: [
        { imageId: 'ami-sim', user: 'elastiq' },
        { imageId: 'ami-ubuntu', user: 'ubuntu', name: 'ubuntu-like' },
      ],
    });
    ec2 = ec2ClientFor(sim);
  });
  afterAll(() => sim?.stop());

  it('imports a public key once, describes it with an MD5 fingerprint, and deletes it idempotently', async () => {
    const { public: publicKey } = utils.generateKeyPairSync('ed25519');
    const imported = await ec2.send(new ImportKeyPairCommand({ KeyName: 'ops', PublicKeyMaterial: Buffer.from(publicKey) }));
    expect(imported.KeyFingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    const again = ec2.send(new ImportKeyPairCommand({ KeyName: 'ops', PublicKeyMaterial: Buffer.from(publicKey) }));
    expect(await errorCodeOf(again)).toBe('InvalidKeyPair.Duplicate');
    const described = await ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['ops'], IncludePublicKey: true }));
    expect(described.KeyPairs?.[0]).toMatchObject({ KeyName: 'ops', KeyType: 'ed25519', PublicKey: publicKey.trim() });
    await ec2.send(new DeleteKeyPairCommand({ KeyName: 'ops' }));
    await ec2.send(new DeleteKeyPairCommand({ KeyName: 'ops' }));
    expect(await errorCodeOf(ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['ops'] })))).toBe('InvalidKeyPair.NotFound');
  });

  it('refuses key material that is not an OpenSSH public key', async () => {
    const bad = ec2.send(new ImportKeyPairCommand({ KeyName: 'bad', PublicKeyMaterial: Buffer.from('hello') }));
    expect(await errorCodeOf(bad)).toBe('InvalidKeyPair.Format');
  });

  it('creates, authorizes, describes and deletes a security group; the default group cannot go', async () => {
    const created = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'cluster-ssh', Description: 'ssh in' }));
    const rule = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '127.0.0.0/8' }] };
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: created.GroupId, IpPermissions: [rule] }));
    const duplicate = ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupName: 'cluster-ssh', IpPermissions: [rule] }));
    expect(await errorCodeOf(duplicate)).toBe('InvalidPermission.Duplicate');
    const described = await ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['cluster-ssh'] }));
    expect(described.SecurityGroups?.[0].IpPermissions).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '127.0.0.0/8' }] }),
    ]);
    expect(await errorCodeOf(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'cluster-ssh', Description: 'x' })))).toBe(
      'InvalidGroup.Duplicate',
    );
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: created.GroupId }));
    expect(await errorCodeOf(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [created.GroupId!] })))).toBe(
      'InvalidGroup.NotFound',
    );
    expect(await errorCodeOf(ec2.send(new DeleteSecurityGroupCommand({ GroupName: 'default' })))).toBe('CannotDelete');
  });

  it('refuses to delete a group a live instance uses (DependencyViolation)', async () => {
    await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'in-use', Description: 'used' }));
    await ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 1, MaxCount: 1, SecurityGroups: ['in-use'] }));
    expect(await errorCodeOf(ec2.send(new DeleteSecurityGroupCommand({ GroupName: 'in-use' })))).toBe('DependencyViolation');
  });

  it('adds and removes tags on many instances in one call', async () => {
    const reservation = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 3, MaxCount: 3 }));
    const ids = reservation.Instances!.map((instance) => instance.InstanceId!);
    await ec2.send(new CreateTagsCommand({ Resources: ids, Tags: [{ Key: 'Name', Value: 'node' }, { Key: 'role', Value: 'compute' }] }));
    await ec2.send(new DeleteTagsCommand({ Resources: ids.slice(0, 1), Tags: [{ Key: 'role', Value: 'other' }, { Key: 'Name' }] }));
    const described = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:role', Values: ['compute'] }] }));
    const instances = described.Reservations!.flatMap((r) => r.Instances!);
    expect(instances).toHaveLength(3);
    expect(instances.find((instance) => instance.InstanceId === ids[0])?.Tags).toEqual([{ Key: 'role', Value: 'compute' }]);
    const reserved = ec2.send(new CreateTagsCommand({ Resources: ids, Tags: [{ Key: 'aws:x', Value: 'y' }] }));
    expect(await errorCodeOf(reserved)).toBe('InvalidParameterValue');
  });

  it('describes its images (with their login user), zones and instance types', async () => {
    const images = await ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-ubuntu'] }));
    expect(images.Images).toEqual([expect.objectContaining({ ImageId: 'ami-ubuntu', Name: 'ubuntu-like', State: 'available' })]);
    expect(images.Images?.[0].Description).toContain('ubuntu');
    expect(await errorCodeOf(ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-nope'] })))).toBe('InvalidAMIID.NotFound');
    const zones = await ec2.send(new DescribeAvailabilityZonesCommand({}));
    expect(zones.AvailabilityZones?.map((zone) => zone.ZoneName)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    const types = await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['c5.xlarge'] }));
    expect(types.InstanceTypes?.[0]).toMatchObject({ InstanceType: 'c5.xlarge', VCpuInfo: { DefaultVCpus: 4 }, MemoryInfo: { SizeInMiB: 8192 } });
  });
});
