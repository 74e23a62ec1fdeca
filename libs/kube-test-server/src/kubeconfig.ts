export interface KubeconfigOptions {
  server: string;
  /** Base64 PEM of the CA that signed the server's certificate. */
  caData?: string;
  token?: string;
  namespace?: string;
}

/**
 * A kubeconfig with one cluster, user and context, as `kubectl config view --raw` prints it,
 * in JSON (every YAML parser reads it). A plain-HTTP server needs `insecure-skip-tls-verify`,
 * which is how @kubernetes/client-node allows `http:` URLs at all.
 */
export function kubeconfigFor(options: KubeconfigOptions): string {
  const cluster: Record<string, unknown> = { server: options.server };
  if (options.caData) cluster['certificate-authority-data'] = options.caData;
  if (options.server.startsWith('http:')) cluster['insecure-skip-tls-verify'] = true;
  const user: Record<string, unknown> = options.token ? { token: options.token } : {};
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'test', cluster }],
      users: [{ name: 'test', user }],
      contexts: [{ name: 'test', context: { cluster: 'test', user: 'test', ...(options.namespace ? { namespace: options.namespace } : {}) } }],
      'current-context': 'test',
      preferences: {},
    },
    null,
    2,
  );
}
