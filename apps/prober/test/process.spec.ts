import { serviceProcessSuite } from '@meridian/testing';

serviceProcessSuite('prober', { service: 'meridian.v1.ProberService', methods: ['WatchLocalTargets'] });
