import { PeerSyncServiceService } from '@meridian/proto';
import { badGrpcInputSuite } from '@meridian/testing';

// peering.maxMessageBytes sets peer-sync's receive limit; its lowest value keeps the test cheap.
const LIMIT = 4 * 1024 * 1024;
badGrpcInputSuite('peer-sync', 'meridian.v1.PeerSyncService', PeerSyncServiceService, { config: { peering: { maxMessageBytes: LIMIT } }, receiveLimitBytes: LIMIT });
