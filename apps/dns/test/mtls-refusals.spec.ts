import { mtlsRefusalSuite } from '@meridian/testing';

mtlsRefusalSuite('dns');
