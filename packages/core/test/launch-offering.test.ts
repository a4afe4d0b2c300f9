import { launchOfferingsOf, offeringLabel } from '@elastiq/core';
import { computeSpec, newCluster } from './fixtures';

function nodeWith(extra: Record<string, unknown>) {
  const cluster = newCluster();
  cluster.addNodes('compute', 1, { ...computeSpec, flavor: 'c5.xlarge', extra: { ...computeSpec.extra, ...extra } });
  return cluster.toDict().nodes.compute[0];
}

describe('launch offerings of a node', () => {
  it('is the one offering ElastiCluster would launch when no alternative is configured', () => {
    expect(launchOfferingsOf(nodeWith({}), '')).toEqual([{ flavor: 'c5.xlarge' }]);
    expect(launchOfferingsOf(nodeWith({ network_ids: ['subnet-1'] }), 'us-east-1a')).toEqual([
      { flavor: 'c5.xlarge', subnetId: 'subnet-1', availabilityZone: 'us-east-1a' },
    ]);
  });

  it('tries each flavor in each zone, the configured flavor first', () => {
    const offerings = launchOfferingsOf(nodeWith({ flavor_alternatives: ['c5a.xlarge'], availability_zones: ['us-east-1a', 'us-east-1b'] }), 'us-east-1c');
    expect(offerings.map(offeringLabel)).toEqual(['c5.xlarge@us-east-1a', 'c5.xlarge@us-east-1b', 'c5a.xlarge@us-east-1a', 'c5a.xlarge@us-east-1b']);
  });

  it('treats several network_ids as several places, and accepts comma-separated text from hand-written records', () => {
    const offerings = launchOfferingsOf(nodeWith({ network_ids: 'subnet-a, subnet-b', flavor_alternatives: 'c5.xlarge,m5.xlarge' }), '');
    expect(offerings.map(offeringLabel)).toEqual(['c5.xlarge@subnet-a', 'c5.xlarge@subnet-b', 'm5.xlarge@subnet-a', 'm5.xlarge@subnet-b']);
  });

  it('puts a spot kind (price > 0) on the spot market, and with spot_fallback=on-demand follows with the same offerings on demand', () => {
    expect(launchOfferingsOf(nodeWith({ price: 0 }), 'us-east-1a')).toEqual([{ flavor: 'c5.xlarge', availabilityZone: 'us-east-1a' }]);
    expect(launchOfferingsOf(nodeWith({ price: 0.08 }), 'us-east-1a').map(offeringLabel)).toEqual(['c5.xlarge@us-east-1a/spot']);
    const offerings = launchOfferingsOf(nodeWith({ price: 0.08, spot_fallback: 'on-demand', availability_zones: ['us-east-1a', 'us-east-1b'] }), '');
    expect(offerings.map(offeringLabel)).toEqual(['c5.xlarge@us-east-1a/spot', 'c5.xlarge@us-east-1b/spot', 'c5.xlarge@us-east-1a', 'c5.xlarge@us-east-1b']);
    expect(offerings[0].spot).toEqual({ maxPrice: '0.08' });
    expect(launchOfferingsOf(nodeWith({ price: 0.08, spot_fallback: 'none' }), '')).toEqual([{ flavor: 'c5.xlarge', spot: { maxPrice: '0.08' } }]);
  });
});
