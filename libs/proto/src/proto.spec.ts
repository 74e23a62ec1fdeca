import { loadFileDescriptorSetFromBuffer } from '@grpc/proto-loader';
import { descriptorSet, WatchZoneResponse, ZoneChange } from './index';

describe('meridian.v1 contracts', () => {
  it('ship a descriptor set that describes every service and the messages they use', () => {
    const definition = loadFileDescriptorSetFromBuffer(descriptorSet());
    expect(Object.keys(definition).filter((name) => name.endsWith('Service')).sort()).toEqual([
      'meridian.v1.DnsService',
      'meridian.v1.PeerSyncService',
      'meridian.v1.ProberService',
      'meridian.v1.RecordsService',
      'meridian.v1.WitnessService',
    ]);
    expect(definition['google.protobuf.Timestamp']).toBeDefined();
  });

  it('round-trip a zone delta through the wire format', () => {
    const message: WatchZoneResponse = {
      epoch: 'e',
      version: 2 ** 40,
      sentAt: new Date('2026-11-21T00:00:00.000Z'),
      event: {
        $case: 'delta',
        delta: {
          changes: [
            ZoneChange.fromPartial({
              origin: 'gslb.example.com',
              change: { $case: 'removedName', removedName: 'old.gslb.example.com' },
            }),
          ],
        },
      },
    };
    const bytes = WatchZoneResponse.encode(message).finish();
    expect(WatchZoneResponse.decode(bytes)).toEqual(message);
  });
});
