import { mtlsRefusalSuite } from '@meridian/testing';

mtlsRefusalSuite('witness');
