import { mtlsRefusalSuite } from '@meridian/testing';

mtlsRefusalSuite('records');
