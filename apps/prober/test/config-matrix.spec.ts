import { validateConfig } from '@meridian/config';
import { configMatrixSuite } from '@meridian/testing';
import { proberConfigSchema } from '../src/config';

configMatrixSuite('prober', proberConfigSchema, (raw) => validateConfig(proberConfigSchema, raw, 'config.yaml'));
