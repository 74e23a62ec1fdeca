import { posix } from 'node:path';
import { parse } from 'yaml';
import { applyEnvOverrides, ConfigError, validateConfig } from '@meridian/config';
import type { z } from 'zod';
import { chartOf, type KubeObject, type Rendered } from './manifests';
import { ROOT, SERVICES, type Service } from './workspace';

/* Shapes of the parts of Kubernetes objects the checks read (loosely typed: the schemas are checked elsewhere). */
export interface Container {
  name: string;
  image?: string;
  args?: string[];
  env?: { name: string; value?: string }[];
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[]; add?: string[] } };
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  volumeMounts?: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[];
}
export interface Probe {
  grpc?: { port: number; service?: string };
  httpGet?: { path: string; port: number | string };
  tcpSocket?: unknown;
  exec?: unknown;
}
export interface Volume {
  name: string;
  configMap?: { name: string; items?: { key: string; path: string }[] };
  secret?: { secretName: string; items?: { key: string; path: string }[] };
  emptyDir?: unknown;
  projected?: { sources: { secret?: { name: string; items?: { key: string; path: string }[] }; configMap?: { name: string } }[] };
}
export interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: Record<string, unknown>;
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  topologySpreadConstraints?: { topologyKey: string; labelSelector?: { matchLabels?: Record<string, string> } }[];
}
export interface Workload extends KubeObject {
  spec: { replicas?: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
}

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];
export const CONFIG_PATH = '/etc/meridian/config.yaml';

/** The one workload each service chart renders. */
export function workloadOf(rendered: readonly Rendered[], service: Service): Workload {
  const found = rendered.filter((r) => chartOf(r) === service && WORKLOAD_KINDS.includes(r.object.kind));
  if (found.length !== 1) throw new Error(`${service}: expected one workload, found ${found.map((r) => r.object.kind).join(', ') || 'none'}`);
  return (found[0] as Rendered).object as Workload;
}

/** The service's own container (named after the service). */
export function mainContainer(workload: Workload, service: Service): Container {
  const c = workload.spec.template.spec.containers.find((x) => x.name === service) ?? workload.spec.template.spec.containers[0];
  if (!c) throw new Error(`${workload.metadata.name}: no container`);
  return c;
}

/** Does a label selector (matchLabels) select these labels? */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/**
 * The config file the service's container reads: `MERIDIAN_CONFIG` (or `--config`) names it,
 * a volume mount holds it, and that volume's ConfigMap (rendered in the same release) has it.
 */
export function mountedConfig(rendered: readonly Rendered[], workload: Workload, container: Container): { text: string; configMap: KubeObject } {
  const env = new Map((container.env ?? []).map((e) => [e.name, e.value]));
  const args = container.args ?? [];
  const flag = args.indexOf('--config');
  const path = flag >= 0 ? args[flag + 1] : env.get('MERIDIAN_CONFIG') ?? CONFIG_PATH;
  if (!path) throw new Error(`${workload.metadata.name}: --config without a path`);
  const mount = (container.volumeMounts ?? []).find((m) => m.mountPath === path || path.startsWith(`${m.mountPath}/`));
  if (!mount) throw new Error(`${workload.metadata.name}: nothing is mounted at ${path}`);
  const volume = (workload.spec.template.spec.volumes ?? []).find((v) => v.name === mount.name);
  if (!volume?.configMap) throw new Error(`${workload.metadata.name}: the volume at ${path} is not a ConfigMap`);
  const key = mount.subPath ?? posix.relative(mount.mountPath, path);
  const item = volume.configMap.items?.find((i) => i.path === key);
  const dataKey = item ? item.key : key;
  const cm = rendered.find((r) => r.object.kind === 'ConfigMap' && r.object.metadata.name === volume.configMap?.name)?.object;
  if (!cm) throw new Error(`${workload.metadata.name}: ConfigMap ${volume.configMap.name} is not rendered`);
  const text = (cm['data'] as Record<string, string> | undefined)?.[dataKey];
  if (text === undefined) throw new Error(`ConfigMap ${cm.metadata.name} has no key ${dataKey}`);
  return { text, configMap: cm };
}

const SCHEMA_EXPORTS: Record<Service, string> = {
  prober: 'proberConfigSchema',
  'peer-sync': 'peerSyncConfigSchema',
  witness: 'witnessConfigSchema',
  records: 'recordsConfigSchema',
  dns: 'dnsConfigSchema',
};

/**
 * The service's real config schema. Apps cannot be imported by other projects (the module
 * boundary rule forbids it), so the schema module is loaded by path; jest compiles it from
 * source and maps its @meridian/* imports to the libs' sources, as in the apps' own tests.
 */
export function configSchemaOf(service: Service): z.ZodType {
  const mod = require(posix.join(ROOT, 'apps', service, 'src', 'config.ts')) as Record<string, z.ZodType | undefined>;
  const schema = mod[SCHEMA_EXPORTS[service]];
  if (!schema) throw new Error(`apps/${service}/src/config.ts exports no ${SCHEMA_EXPORTS[service]}`);
  return schema;
}

/** Validates a rendered config as the service does at start-up (env overrides included); returns its problems. */
export function configProblems(service: Service, text: string, container: Container): { config: Record<string, unknown> | undefined; problems: string[] } {
  const raw = parse(text) as Record<string, unknown>;
  const env = Object.fromEntries((container.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
  const { config, origins } = applyEnvOverrides(raw, env);
  try {
    return { config: validateConfig(configSchemaOf(service), config, `${service} ConfigMap`, origins) as Record<string, unknown>, problems: [] };
  } catch (err) {
    if (err instanceof ConfigError) return { config: undefined, problems: err.problems.map((p) => `${p.path}: ${p.message} (value ${JSON.stringify(p.value)})`) };
    throw err;
  }
}

/** Every file a config names: keys ending in "File", `kubeconfig`, and `paths` lists; relative ones resolved against the config's folder. */
export function filesNamedBy(config: unknown, configDir = posix.dirname(CONFIG_PATH), at = ''): { field: string; path: string }[] {
  const out: { field: string; path: string }[] = [];
  if (Array.isArray(config)) config.forEach((v, i) => out.push(...filesNamedBy(v, configDir, `${at}[${i}]`)));
  else if (config && typeof config === 'object') {
    for (const [k, v] of Object.entries(config)) {
      const field = at ? `${at}.${k}` : k;
      const resolve = (p: string) => (p.startsWith('/') ? p : posix.join(configDir, p));
      if (typeof v === 'string' && (/File$/.test(k) || k === 'kubeconfig')) out.push({ field, path: resolve(v) });
      else if (k === 'paths' && Array.isArray(v)) v.forEach((p, i) => typeof p === 'string' && out.push({ field: `${field}[${i}]`, path: resolve(p) }));
      else out.push(...filesNamedBy(v, configDir, field));
    }
  }
  return out;
}

/** The mount a file path lives under (a mount of that exact file, or of a folder above it). */
export function mountFor(container: Container, path: string): { name: string; mountPath: string; subPath?: string } | undefined {
  return (container.volumeMounts ?? [])
    .filter((m) => path === m.mountPath || path.startsWith(`${m.mountPath}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
}

export function servicesIn(rendered: readonly Rendered[]): Service[] {
  return SERVICES.filter((s) => rendered.some((r) => chartOf(r) === s));
}
