import { mtlsRefusalSuite } from '@meridian/testing';

mtlsRefusalSuite('peer-sync');
