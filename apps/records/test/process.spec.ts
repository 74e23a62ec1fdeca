import { serviceProcessSuite } from '@meridian/testing';

serviceProcessSuite('records', { service: 'meridian.v1.RecordsService', methods: ['Explain', 'WatchZone'] });
