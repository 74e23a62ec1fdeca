/** No nameserver of a k8gb region answered. */
export class K8gbPeerUnreachableError extends Error {
  override readonly name = 'K8gbPeerUnreachableError';
}
