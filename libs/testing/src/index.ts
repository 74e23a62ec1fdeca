export { appEntry, WORKSPACE_ROOT } from './workspace';
export { runServiceToExit, startService, type ServiceProcess, type StartServiceOptions } from './service-process';
export { checkHealth, describeServiceByReflection, healthClient, listServicesByReflection, scrapeMetrics } from './grpc-probes';
export { serviceProcessSuite } from './service-process-suite';
export { makeTestPki, type TestPki } from './pki';
