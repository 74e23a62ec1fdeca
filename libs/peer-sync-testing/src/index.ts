export { startBindServer, type BindServer, type BindServerOptions, type BindZoneOptions } from './bind-server';
export { startK8gbDnsServer, type K8gbDnsServer } from './k8gb-dns-server';
export { makeTestPki, type CertificatePair, type TestPki } from './test-pki';
export { startTcpProxy, type TcpProxy } from './tcp-proxy';
