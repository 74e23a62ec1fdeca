import { serviceProcessSuite } from '@meridian/testing';

serviceProcessSuite('peer-sync', { service: 'meridian.v1.PeerSyncService', methods: ['Exchange', 'ListPeers', 'WatchRemoteTargets'] });
