import { mtlsRefusalSuite } from '@meridian/testing';

mtlsRefusalSuite('prober');
