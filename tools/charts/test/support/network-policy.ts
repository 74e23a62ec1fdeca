import type { KubeObject, Rendered } from './manifests';
import { selects, WORKLOAD_KINDS, type Container, type Workload } from './workloads';

/**
 * A small evaluator of NetworkPolicy semantics for traffic between pods of one release: is a
 * connection from pod A to port P of pod B allowed by the policies selecting A (egress) and B
 * (ingress)? A pod no policy selects for a direction is open in that direction.
 */
interface PolicyPeer {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: { matchLabels?: Record<string, string> };
  ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyPort {
  port?: number | string;
  endPort?: number;
  protocol?: string;
}
interface PolicyRule {
  from?: PolicyPeer[];
  to?: PolicyPeer[];
  ports?: PolicyPort[];
}
interface NetworkPolicy extends KubeObject {
  spec: { podSelector: { matchLabels?: Record<string, string> }; policyTypes?: string[]; ingress?: PolicyRule[]; egress?: PolicyRule[] };
}

export interface Pod {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  containers: Container[];
}

export function podsOf(rendered: readonly Rendered[]): Pod[] {
  return rendered
    .filter((r) => WORKLOAD_KINDS.includes(r.object.kind))
    .map((r) => {
      const w = r.object as Workload;
      return { name: w.metadata.name, namespace: w.metadata.namespace ?? 'default', labels: w.spec.template.metadata.labels, containers: w.spec.template.spec.containers };
    });
}

const policiesOf = (rendered: readonly Rendered[]) => rendered.filter((r) => r.object.kind === 'NetworkPolicy').map((r) => r.object as NetworkPolicy);

/** An empty selector ({}) selects everything; an absent one nothing (for peers) or everything (podSelector of the policy). */
const matchesAll = (s: { matchLabels?: Record<string, string> } | undefined) => s !== undefined && Object.keys(s.matchLabels ?? {}).length === 0;
const matches = (s: { matchLabels?: Record<string, string> } | undefined, labels: Record<string, string>) => matchesAll(s) || selects(s?.matchLabels, labels);

function peerMatches(peer: PolicyPeer, policyNamespace: string, pod: Pod): boolean {
  // Pod addresses are inside any "everything" block; narrower blocks are about outside addresses.
  if (peer.ipBlock) return (peer.ipBlock.cidr === '0.0.0.0/0' || peer.ipBlock.cidr === '::/0') && (peer.ipBlock.except ?? []).length === 0;
  const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, { 'kubernetes.io/metadata.name': pod.namespace }) : pod.namespace === policyNamespace;
  const podOk = peer.podSelector ? matches(peer.podSelector, pod.labels) : true;
  return nsOk && podOk;
}

function portMatches(ports: PolicyPort[] | undefined, port: number, protocol: string, destination: Pod): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') return destination.containers.some((c) => (c.ports ?? []).some((cp) => cp.name === p.port && cp.containerPort === port && (cp.protocol ?? 'TCP') === protocol));
    return p.endPort !== undefined ? port >= p.port && port <= p.endPort : p.port === port;
  });
}

function isolated(policies: NetworkPolicy[], pod: Pod, direction: 'Ingress' | 'Egress'): NetworkPolicy[] {
  return policies.filter((p) => (p.metadata.namespace ?? 'default') === pod.namespace && matches(p.spec.podSelector, pod.labels) && (p.spec.policyTypes ?? ['Ingress']).includes(direction));
}

/** Why a connection is refused ('' when both the source's egress and the destination's ingress allow it). */
export function refusal(rendered: readonly Rendered[], from: Pod, to: Pod, port: number, protocol = 'TCP'): string {
  const policies = policiesOf(rendered);
  const egress = isolated(policies, from, 'Egress');
  const egressOk = egress.length === 0 || egress.some((p) => (p.spec.egress ?? []).some((rule) => (!rule.to || rule.to.length === 0 || rule.to.some((peer) => peerMatches(peer, p.metadata.namespace ?? 'default', to))) && portMatches(rule.ports, port, protocol, to)));
  const ingress = isolated(policies, to, 'Ingress');
  const ingressOk = ingress.length === 0 || ingress.some((p) => (p.spec.ingress ?? []).some((rule) => (!rule.from || rule.from.length === 0 || rule.from.some((peer) => peerMatches(peer, p.metadata.namespace ?? 'default', from))) && portMatches(rule.ports, port, protocol, to)));
  const reasons = [];
  if (!egressOk) reasons.push(`${from.name}'s egress policy does not allow ${to.name}:${port}/${protocol}`);
  if (!ingressOk) reasons.push(`${to.name}'s ingress policy does not allow ${from.name} on ${port}/${protocol}`);
  return reasons.join('; ');
}

/** A cluster DNS pod as the charts' defaults describe it (kube-system, k8s-app=kube-dns). */
export const CLUSTER_DNS: Pod = { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, containers: [{ name: 'coredns', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }] }] };

/** A pod elsewhere in the cluster, not part of the release. */
export const STRANGER: Pod = { name: 'stranger', namespace: 'default', labels: { app: 'stranger' }, containers: [] };

interface ServiceObject extends KubeObject {
  spec: { selector?: Record<string, string>; ports: { name?: string; port: number; targetPort?: number | string; protocol?: string }[] };
}

/** The pods and container port behind "host:port" when host is a Service of the release (short or .svc name). */
export function resolveAddress(rendered: readonly Rendered[], address: string): { service: string; pods: Pod[]; port: number } | undefined {
  const m = /^([a-z0-9-]+)(?:\.[a-z0-9.-]+)?:(\d+)$/.exec(address);
  if (!m) return undefined;
  const service = rendered.map((r) => r.object).find((o): o is ServiceObject => o.kind === 'Service' && o.metadata.name === m[1]);
  if (!service) return undefined;
  const sp = service.spec.ports.find((p) => p.port === Number(m[2]));
  if (!sp) throw new Error(`${address}: Service ${service.metadata.name} has no port ${m[2]}`);
  const pods = podsOf(rendered).filter((p) => selects(service.spec.selector, p.labels));
  const target = sp.targetPort ?? sp.port;
  const port = typeof target === 'number' ? target : pods.flatMap((p) => p.containers.flatMap((c) => c.ports ?? [])).find((cp) => cp.name === target)?.containerPort;
  if (port === undefined) throw new Error(`${address}: targetPort ${String(target)} is no container port`);
  return { service: service.metadata.name, pods, port };
}

/** Every "host:port" string in a config, with where it is. */
export function addressesIn(config: unknown, at = ''): { field: string; address: string }[] {
  if (typeof config === 'string') return /^[a-z0-9.-]+:\d+$/.test(config) ? [{ field: at, address: config }] : [];
  if (Array.isArray(config)) return config.flatMap((v, i) => addressesIn(v, `${at}[${i}]`));
  if (config && typeof config === 'object') return Object.entries(config).flatMap(([k, v]) => addressesIn(v, at ? `${at}.${k}` : k));
  return [];
}
