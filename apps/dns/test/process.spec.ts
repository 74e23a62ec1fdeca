import { serviceProcessSuite } from '@meridian/testing';

serviceProcessSuite('dns', { service: 'meridian.v1.DnsService', methods: ['GetServingStatus'] });
