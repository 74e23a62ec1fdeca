import { validateConfig } from '@meridian/config';
import { configMatrixSuite } from '@meridian/testing';
import { recordsConfigSchema } from '../src/config';

configMatrixSuite('records', recordsConfigSchema, (raw) => validateConfig(recordsConfigSchema, raw, 'config.yaml'));
