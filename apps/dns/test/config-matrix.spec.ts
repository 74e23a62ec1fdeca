import { validateConfig } from '@meridian/config';
import { configMatrixSuite } from '@meridian/testing';
import { dnsConfigSchema } from '../src/config';

configMatrixSuite('dns', dnsConfigSchema, (raw) => validateConfig(dnsConfigSchema, raw, 'config.yaml'));
