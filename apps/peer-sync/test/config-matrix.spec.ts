import { validateConfig } from '@meridian/config';
import { configMatrixSuite } from '@meridian/testing';
import { peerSyncConfigSchema } from '../src/config';

configMatrixSuite('peer-sync', peerSyncConfigSchema, (raw) => validateConfig(peerSyncConfigSchema, raw, 'config.yaml'));
