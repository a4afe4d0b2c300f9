import { containerIdFrom, defaultWorkerName } from '../src/worker-name';

const id = 'f3b1c0de9a8877665544332211aabbccddeeff00112233445566778899aabbcc';
// Lines as Docker's overlay2 engine writes them into a container's /proc/self/mountinfo.
const inContainer = [
  '812 733 0:52 / / rw,relatime master:300 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/ABC',
  `828 812 253:1 /var/lib/docker/containers/${id}/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/vda rw`,
  `829 812 253:1 /var/lib/docker/containers/${id}/hostname /etc/hostname rw,relatime - ext4 /dev/vda rw`,
].join('\n');
const onHost = '22 1 253:1 / / rw,relatime shared:1 - ext4 /dev/vda rw\n23 22 0:5 / /dev rw - devtmpfs udev rw';

describe('default worker name', () => {
  it('is <hostname>-<pid> outside a container', () => {
    expect(containerIdFrom(onHost)).toBeNull();
    expect(defaultWorkerName(onHost, 'node7', 4242)).toBe('node7-4242');
  });

  it('carries the container id inside one, so host-network replicas differ', () => {
    expect(containerIdFrom(inContainer)).toBe(id);
    expect(defaultWorkerName(inContainer, 'node7', 7)).toBe(`node7-${id.slice(0, 12)}-7`);
    const other = inContainer.replaceAll(id, id.replace(/^f3/, '0a'));
    expect(defaultWorkerName(other, 'node7', 7)).not.toBe(defaultWorkerName(inContainer, 'node7', 7));
  });

  it('is a valid ELASTIQ_WORKER_NAME', () => {
    expect(defaultWorkerName(inContainer, 'node7', 7)).toMatch(/^[A-Za-z0-9_.:@-]{1,100}$/);
  });
});
