import { validateConfig } from '@meridian/config';
import { configMatrixSuite } from '@meridian/testing';
import { witnessConfigSchema } from '../src/config';

configMatrixSuite('witness', witnessConfigSchema, (raw) => validateConfig(witnessConfigSchema, raw, 'config.yaml'));
