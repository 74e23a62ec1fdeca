import { serviceProcessSuite } from '@meridian/testing';

serviceProcessSuite('witness', { service: 'meridian.v1.WitnessService', methods: ['Observe', 'WatchVerdicts'] });
