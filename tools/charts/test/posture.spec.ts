import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execForm, last, parseDockerfile, type Stage } from './support/dockerfile';
import { validateWithKubernetesModels } from './support/kube-schema';
import { addressesIn, CLUSTER_DNS, podsOf, refusal, resolveAddress, STRANGER, type Pod } from './support/network-policy';
import { ChartSandbox } from './support/helm';
import { chartOf, keyOf, ofKind, parseRendered, type KubeObject, type Rendered } from './support/manifests';
import { exampleValuesFiles, UMBRELLA } from './support/umbrella';
import { configProblems, mainContainer, mountedConfig, selects, workloadOf, type Container, type Probe, type Volume, type Workload } from './support/workloads';
import { ROOT, SERVICES, type Service } from './support/workspace';

/**
 * What every service's objects must look like in the rendered umbrella: pod security, resources,
 * probes, ServiceAccount, PDB, NetworkPolicy, least-privilege RBAC, mTLS on by default, TSIG
 * and certificates from Secrets, and a dns chart that scales without touching anything else.
 */
let sandbox: ChartSandbox;
let renderCount = 0;
const render = (values: object = {}): Rendered[] => parseRendered(sandbox.template(UMBRELLA, { valuesFiles: [sandbox.valuesFile(`render-${++renderCount}`, values)] }));

beforeAll(() => {
  sandbox = ChartSandbox.create();
});
afterAll(() => sandbox?.destroy());

const LIVENESS_SERVICE = 'meridian.v1.Liveness';

/**
 * Probes (ADR 0008): all three are the kubelet's native gRPC probe on the plaintext health-only
 * listener, which the mounted config opens (grpc.healthPort) whether or not the gRPC port
 * requires mTLS: readiness asks "" (the service's readiness), startup and liveness ask
 * meridian.v1.Liveness (alive even while unready). An HTTP, TCP or exec probe is a problem.
 */
function probeProblems(rendered: readonly Rendered[], workload: Workload, service: Service, mtls: boolean): string[] {
  const problems: string[] = [];
  const main = mainContainer(workload, service);
  const healthPort = main.ports?.find((p) => p.name === 'grpc-health')?.containerPort;
  if (healthPort === undefined) problems.push(`${service}: no container port named grpc-health`);
  const { config, problems: invalid } = configProblems(service, mountedConfig(rendered, workload, main).text, main);
  problems.push(...invalid.map((p) => `${service}: config: ${p}`));
  const grpc = (config?.['grpc'] ?? {}) as { port?: number; healthPort?: number; tls?: { requireClientCert?: boolean } };
  if (grpc.healthPort === undefined || grpc.healthPort !== healthPort) problems.push(`${service}: config grpc.healthPort is ${String(grpc.healthPort)}, expected the grpc-health container port ${String(healthPort)}`);
  if (grpc.healthPort !== undefined && grpc.healthPort === grpc.port) problems.push(`${service}: grpc.healthPort is the gRPC port ${String(grpc.port)}`);
  if ((grpc.tls?.requireClientCert === true) !== mtls) problems.push(`${service}: grpc.tls.requireClientCert is ${String(grpc.tls?.requireClientCert)}, expected mTLS ${mtls ? 'on' : 'off'}`);
  const expected: Array<[string, Probe | undefined, string]> = [
    ['startupProbe', main.startupProbe, LIVENESS_SERVICE],
    ['readinessProbe', main.readinessProbe, ''],
    ['livenessProbe', main.livenessProbe, LIVENESS_SERVICE],
  ];
  for (const [name, probe, healthService] of expected) {
    if (!probe) {
      problems.push(`${service}: no ${name}`);
      continue;
    }
    const other = (['httpGet', 'tcpSocket', 'exec'] as const).filter((k) => probe[k] !== undefined);
    if (!probe.grpc || other.length > 0 || probe.grpc.port !== healthPort || (probe.grpc.service ?? '') !== healthService) {
      problems.push(`${service}: ${name} is ${JSON.stringify(probe)}, expected the gRPC probe on the health port ${String(healthPort)} for service "${healthService}"`);
    }
  }
  // The health listener is for the kubelet only: no Service exposes it.
  for (const r of ofKind(rendered, 'Service').filter((x) => chartOf(x) === service)) {
    const ports = ((r.object as { spec?: { ports?: { port: number; targetPort?: number | string }[] } }).spec?.ports ?? []);
    if (ports.some((p) => p.targetPort === 'grpc-health' || p.targetPort === healthPort || (p.targetPort === undefined && p.port === healthPort))) {
      problems.push(`${service}: Service ${r.object.metadata.name} exposes the health port`);
    }
  }
  return problems;
}

/** Everything wrong with a workload's pod security, resources and probes. */
function podProblems(rendered: readonly Rendered[], workload: Workload, service: Service, mtls: boolean): string[] {
  const problems: string[] = [];
  const pod = workload.spec.template.spec;
  const podSc = pod.securityContext ?? {};
  const containers: Container[] = [...(pod.initContainers ?? []), ...pod.containers];
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    const where = `${service}/${c.name}`;
    const nonRoot = sc['runAsNonRoot'] ?? podSc['runAsNonRoot'];
    const uid = sc['runAsUser'] ?? podSc['runAsUser'];
    if (nonRoot !== true) problems.push(`${where}: runAsNonRoot is not true`);
    if (typeof uid !== 'number' || uid === 0) problems.push(`${where}: runAsUser is ${String(uid)}, not a non-zero UID`);
    if (sc['readOnlyRootFilesystem'] !== true) problems.push(`${where}: readOnlyRootFilesystem is not true`);
    if (sc['allowPrivilegeEscalation'] !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
    if (sc['privileged'] === true) problems.push(`${where}: privileged`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${where}: capabilities.drop does not include ALL`);
    if ((sc.capabilities?.add ?? []).length > 0) problems.push(`${where}: adds capabilities ${JSON.stringify(sc.capabilities?.add)}`);
    for (const r of ['cpu', 'memory']) if (!c.resources?.requests?.[r]) problems.push(`${where}: no ${r} request`);
    if (!c.resources?.limits?.['memory']) problems.push(`${where}: no memory limit`);
  }
  const seccomp = (podSc['seccompProfile'] as { type?: string } | undefined)?.type;
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problems.push(`${service}: pod seccompProfile is ${String(seccomp)}`);

  problems.push(...probeProblems(rendered, workload, service, mtls));

  // A read-only root needs a writable /tmp.
  const main = mainContainer(workload, service);
  const tmp = main.volumeMounts?.find((m) => m.mountPath === '/tmp');
  const tmpVolume = pod.volumes?.find((v) => v.name === tmp?.name);
  if (!tmpVolume?.emptyDir) problems.push(`${service}: /tmp is not an emptyDir`);
  return problems;
}

describe('pod posture', () => {
  it.each([
    ['default values (mTLS on)', {}, true],
    ['mTLS off', { global: { tls: { enabled: false } } }, false],
  ])('with %s: non-root, read-only root, no privilege escalation, no capabilities, resources, probes', (_name, values, mtls) => {
    const rendered = render(values);
    expect(SERVICES.flatMap((s) => podProblems(rendered, workloadOf(rendered, s), s, mtls))).toEqual([]);
  });

  it('with each example values file too', () => {
    expect(exampleValuesFiles(sandbox).length).toBeGreaterThanOrEqual(2);
    for (const file of exampleValuesFiles(sandbox)) {
      const rendered = parseRendered(sandbox.template(UMBRELLA, { valuesFiles: [file] }));
      expect({ file, problems: SERVICES.flatMap((s) => podProblems(rendered, workloadOf(rendered, s), s, true)) }).toEqual({ file, problems: [] });
    }
  });

  it.each([
    ['a root user', { securityContext: { runAsUser: 0 } }, /runAsUser is 0/],
    ['privilege escalation', { securityContext: { allowPrivilegeEscalation: true } }, /allowPrivilegeEscalation is not false/],
    ['a writable root', { securityContext: { readOnlyRootFilesystem: false } }, /readOnlyRootFilesystem is not true/],
    // null deletes a default in Helm: the CPU request is gone.
    ['no CPU request', { resources: { requests: { cpu: null } } }, /no cpu request/],
  ])('the check catches %s (set through the chart values, or rejected by the schema)', (_name, override, expected) => {
    const result = sandbox.tryTemplate(UMBRELLA, { valuesFiles: [sandbox.valuesFile('posture-bad', { witness: override })] });
    if (result.status !== 0) {
      // The chart's schema refuses the value outright: that is a pass for the posture too.
      expect(result.stderr).toMatch(/witness/);
      return;
    }
    const rendered = parseRendered(result.stdout);
    expect(podProblems(rendered, workloadOf(rendered, 'witness'), 'witness', true).join('\n')).toMatch(expected);
  });

  it.each([
    ['an HTTP startup probe', 'startupProbe', { httpGet: { path: '/healthz', port: 'metrics' } }, /startupProbe is .*httpGet.*expected the gRPC probe on the health port/],
    ['an HTTP readiness probe', 'readinessProbe', { httpGet: { path: '/readyz', port: 'metrics' } }, /readinessProbe is .*httpGet.*expected the gRPC probe on the health port/],
    ['an HTTP liveness probe', 'livenessProbe', { httpGet: { path: '/healthz', port: 'metrics' } }, /livenessProbe is .*httpGet.*expected the gRPC probe on the health port/],
    ['a gRPC readiness probe on the mTLS gRPC port', 'readinessProbe', { grpc: { port: 7103 } }, /readinessProbe is .*7103.*expected the gRPC probe on the health port 7190/],
    ['a liveness probe that asks readiness', 'livenessProbe', { grpc: { port: 7190 } }, /livenessProbe is .*for service "meridian\.v1\.Liveness"/],
    ['no startup probe', 'startupProbe', undefined, /witness: no startupProbe/],
  ] as const)('the probe check catches %s', (_name, key, probe, expected) => {
    const rendered = render();
    const workload = structuredClone(workloadOf(rendered, 'witness'));
    const main = mainContainer(workload, 'witness');
    expect(podProblems(rendered, workload, 'witness', true)).toEqual([]);
    if (probe === undefined) delete main[key];
    else main[key] = structuredClone(probe) as Probe;
    expect(podProblems(rendered, workload, 'witness', true).join('\n')).toMatch(expected);
  });

  it('refuses a service port that takes the health port, naming the field', () => {
    const result = sandbox.tryTemplate(UMBRELLA, { valuesFiles: [sandbox.valuesFile('health-port-clash', { witness: { service: { grpcPort: 7190 } } })] });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/service\.grpcPort and service\.metricsPort must not be 7190: that is the health-only gRPC port/);
  });

  it('runs each image as its Dockerfile built it: same UID, its entrypoint, the config where CMD points', () => {
    const rendered = render();
    for (const service of SERVICES) {
      const image = parseDockerfile(readFileSync(join(ROOT, 'apps', service, 'Dockerfile'), 'utf8'));
      const final = image.stages.at(-1) as Stage;
      const uid = Number(last(final, 'USER')?.args.split(':')[0]);
      const cmd = execForm(last(final, 'CMD')) ?? [];
      const workload = workloadOf(rendered, service);
      const container = mainContainer(workload, service) as Container & { command?: string[] };
      const podUid = (container.securityContext?.['runAsUser'] ?? workload.spec.template.spec.securityContext?.['runAsUser']) as number;
      const configPath = container.args?.includes('--config') ? container.args[container.args.indexOf('--config') + 1] : (container.env?.find((e) => e.name === 'MERIDIAN_CONFIG')?.value ?? cmd[1]);
      expect({ service, command: container.command, uid: podUid, configPath, cmdConfig: cmd[1] }).toEqual({ service, command: undefined, uid, configPath: cmd[1], cmdConfig: '/etc/meridian/config.yaml' });
    }
  });

  it('each service runs its own image, ghcr.io/meridian-gslb/<service>', () => {
    const rendered = render();
    for (const s of SERVICES) expect(mainContainer(workloadOf(rendered, s), s).image).toMatch(new RegExp(`^ghcr\\.io/meridian-gslb/${s}[:@]`));
  });
});

describe('per service: ServiceAccount, PodDisruptionBudget, NetworkPolicy', () => {
  let rendered: Rendered[];
  beforeAll(() => {
    rendered = render();
  });

  it.each(SERVICES.map((s) => [s]))('%s has its own ServiceAccount, a PDB and a NetworkPolicy selecting its pods', (service) => {
    const workload = workloadOf(rendered, service);
    const podLabels = workload.spec.template.metadata.labels;
    const mine = rendered.filter((r) => chartOf(r) === service).map((r) => r.object);
    const sa = mine.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === workload.spec.template.spec.serviceAccountName);
    expect(sa).toBeDefined();
    const pdbs = mine.filter((o) => o.kind === 'PodDisruptionBudget' && selects((o['spec'] as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels, podLabels));
    expect(pdbs).toHaveLength(1);
    const policies = mine.filter((o) => o.kind === 'NetworkPolicy' && selects((o['spec'] as { podSelector?: { matchLabels?: Record<string, string> } }).podSelector?.matchLabels, podLabels));
    expect(policies).toHaveLength(1);
    expect((policies[0]?.['spec'] as { policyTypes?: string[] }).policyTypes?.sort()).toEqual(['Egress', 'Ingress']);
    // No other service's pods are selected by this service's PDB or policy.
    for (const other of SERVICES.filter((s) => s !== service)) {
      const otherLabels = workloadOf(rendered, other).spec.template.metadata.labels;
      for (const o of [...pdbs, ...policies]) {
        const selector = o.kind === 'NetworkPolicy' ? (o['spec'] as { podSelector?: { matchLabels?: Record<string, string> } }).podSelector?.matchLabels : (o['spec'] as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels;
        expect({ object: keyOf(o), selectsOther: selects(selector, otherLabels) }).toEqual({ object: keyOf(o), selectsOther: false });
      }
    }
  });
});

describe('NetworkPolicies: the calls the configs make get through, others do not', () => {
  /** Every in-release call a service's config makes: source pod, address, target pods and port. */
  const calls = (rendered: Rendered[]) =>
    SERVICES.flatMap((service) => {
      const workload = workloadOf(rendered, service);
      const container = mainContainer(workload, service);
      const { config } = configProblems(service, mountedConfig(rendered, workload, container).text, container);
      const source = podsOf(rendered).find((p) => p.name === workload.metadata.name) as Pod;
      return addressesIn(config).flatMap(({ field, address }) => {
        const target = resolveAddress(rendered, address);
        return target ? target.pods.map((pod) => ({ service, field, address, source, pod, port: target.port })) : [];
      });
    });

  const renders = (): [string, Rendered[]][] => [['default values', render()], ...exampleValuesFiles(sandbox).map((f): [string, Rendered[]] => [f.split('/').pop() as string, parseRendered(sandbox.template(UMBRELLA, { valuesFiles: [f] }))])];

  it('allows every sibling call in the configs (records → prober, peer-sync, witness; dns → records; peer-sync → prober), and the cluster DNS', () => {
    for (const [name, rendered] of renders()) {
      const found = calls(rendered);
      // The suite is wired: at least records' three inputs, dns → records and peer-sync → prober.
      expect(new Set(found.map((c) => `${c.service}→${c.pod.labels['app.kubernetes.io/name']}`))).toEqual(new Set(['records→prober', 'records→peer-sync', 'records→witness', 'dns→records', 'peer-sync→prober']));
      const refused = found.map((c) => ({ call: `${c.service} ${c.field}=${c.address}`, refusal: refusal(rendered, c.source, c.pod, c.port) })).filter((c) => c.refusal);
      expect({ name, refused }).toEqual({ name, refused: [] });
      const noDns = podsOf(rendered).map((p) => ({ pod: p.name, refusal: refusal(rendered, p, CLUSTER_DNS, 53, 'UDP') })).filter((x) => x.refusal);
      expect({ name, noDns }).toEqual({ name, noDns: [] });
    }
  });

  it('refuses gRPC and metrics from a pod outside the release, and lets anyone ask the DNS port', () => {
    const rendered = render();
    for (const pod of podsOf(rendered)) {
      const port = (n: string) => pod.containers[0]?.ports?.find((p) => p.name === n)?.containerPort as number;
      expect({ pod: pod.name, grpc: refusal(rendered, STRANGER, pod, port('grpc')) !== '' }).toEqual({ pod: pod.name, grpc: true });
      expect({ pod: pod.name, metrics: refusal(rendered, STRANGER, pod, port('metrics')) !== '' }).toEqual({ pod: pod.name, metrics: true });
      const monitoring: Pod = { ...STRANGER, namespace: 'monitoring' };
      expect({ pod: pod.name, scrape: refusal(rendered, monitoring, pod, port('metrics')) }).toEqual({ pod: pod.name, scrape: '' });
    }
    const dns = podsOf(rendered).find((p) => p.labels['app.kubernetes.io/name'] === 'dns') as Pod;
    const dnsPort = dns.containers[0]?.ports?.find((p) => p.protocol === 'UDP')?.containerPort as number;
    expect(refusal(rendered, STRANGER, dns, dnsPort, 'UDP')).toBe('');
  });

  it('the evaluator refuses a call once the rule that allows it is gone', () => {
    const rendered = render();
    const call = calls(rendered).find((c) => c.service === 'dns');
    expect(call).toBeDefined();
    if (!call) return;
    expect(refusal(rendered, call.source, call.pod, call.port)).toBe('');
    const target = call.pod.labels['app.kubernetes.io/name'];
    const cut = rendered.map((r) =>
      r.object.kind === 'NetworkPolicy' && chartOf(r) === target ? { ...r, object: { ...r.object, spec: { ...(r.object['spec'] as object), ingress: [] } } } : r,
    );
    expect(refusal(cut, call.source, call.pod, call.port)).toMatch(/ingress policy does not allow/);
  });
});

/** Rules as "apiGroup/resource:verb" strings, per service, from every Role and ClusterRole bound to its ServiceAccount. */
function grants(rendered: readonly Rendered[], service: Service): { cluster: string[]; namespaced: string[] } {
  const workload = workloadOf(rendered, service);
  const sa = workload.spec.template.spec.serviceAccountName;
  const ns = workload.metadata.namespace;
  const out = { cluster: new Set<string>(), namespaced: new Set<string>() };
  for (const binding of rendered.map((r) => r.object).filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) {
    const subjects = (binding['subjects'] as { kind: string; name: string; namespace?: string }[] | undefined) ?? [];
    if (!subjects.some((s) => s.kind === 'ServiceAccount' && s.name === sa && s.namespace === ns)) continue;
    const ref = binding['roleRef'] as { kind: string; name: string };
    const role = rendered.map((r) => r.object).find((o) => o.kind === ref.kind && o.metadata.name === ref.name && (ref.kind === 'ClusterRole' || o.metadata.namespace === binding.metadata.namespace));
    if (!role) throw new Error(`${keyOf(binding)} refers to ${ref.kind} ${ref.name}, which is not rendered`);
    const target = binding.kind === 'ClusterRoleBinding' ? out.cluster : out.namespaced;
    for (const rule of (role['rules'] as { apiGroups?: string[]; resources?: string[]; verbs: string[]; resourceNames?: string[] }[]) ?? []) {
      for (const g of rule.apiGroups ?? ['']) for (const r of rule.resources ?? []) for (const v of rule.verbs) target.add(`${g || 'core'}/${r}:${v}${rule.resourceNames ? `[${rule.resourceNames.join(',')}]` : ''}`);
    }
  }
  return { cluster: [...out.cluster].sort(), namespaced: [...out.namespaced].sort() };
}

const GSLB_GROUPS = ['k8gb.io', 'k8gb.absa.oss'];
const expand = (groups: string[], resources: string[], verbs: string[]) => groups.flatMap((g) => resources.flatMap((r) => verbs.map((v) => `${g}/${r}:${v}`))).sort();

describe('RBAC: exactly what each service reads or writes (DESIGN.md, libs/kube-source, libs/records-kube)', () => {
  const PROBER = [
    ...expand(GSLB_GROUPS, ['gslbs'], ['list', 'watch']),
    ...expand(['networking.k8s.io'], ['ingresses'], ['list', 'watch']),
    ...expand(['core'], ['services'], ['list', 'watch']),
    ...expand(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch']),
    ...expand(['gateway.networking.k8s.io'], ['gateways', 'httproutes', 'grpcroutes'], ['list', 'watch']),
  ].sort();
  const RECORDS_CLUSTER = [...expand(GSLB_GROUPS, ['gslbs'], ['get']), ...expand(GSLB_GROUPS, ['gslbs/status'], ['patch'])].sort();
  const RECORDS_LEASE = expand(['coordination.k8s.io'], ['leases'], ['create', 'get', 'update']);
  const NONE = { cluster: [], namespaced: [] };

  it.each<[string, object, Record<Service, { cluster: string[]; namespaced: string[] }>]>([
    ['default values (every namespace)', {}, { prober: { cluster: PROBER, namespaced: [] }, records: { cluster: RECORDS_CLUSTER, namespaced: RECORDS_LEASE }, 'peer-sync': NONE, witness: NONE, dns: NONE }],
    [
      'watchNamespaces [apps] (Roles, not ClusterRoles)',
      { global: { watchNamespaces: ['apps'] } },
      { prober: { cluster: [], namespaced: PROBER }, records: { cluster: [], namespaced: [...RECORDS_CLUSTER, ...RECORDS_LEASE].sort() }, 'peer-sync': NONE, witness: NONE, dns: NONE },
    ],
  ])('with %s', (_name, values, expected) => {
    const rendered = render(values);
    const actual = Object.fromEntries(SERVICES.map((s) => [s, grants(rendered, s)]));
    expect(actual).toEqual(expected);
  });

  it('records gets DNSEndpoint access only when it writes them', () => {
    const rendered = render({ records: { kubernetes: { dnsEndpoints: true } } });
    expect(grants(rendered, 'records').cluster).toEqual([...RECORDS_CLUSTER, ...expand(['externaldns.k8s.io'], ['dnsendpoints'], ['create', 'get', 'update'])].sort());
  });

  it('services that never call the API get no token: witness, dns and peer-sync', () => {
    const rendered = render();
    for (const service of SERVICES) {
      const workload = workloadOf(rendered, service);
      const sa = rendered.find((r) => r.object.kind === 'ServiceAccount' && r.object.metadata.name === workload.spec.template.spec.serviceAccountName)?.object as KubeObject | undefined;
      const callsApi = service === 'prober' || service === 'records';
      expect({ service, pod: workload.spec.template.spec.automountServiceAccountToken, sa: sa?.['automountServiceAccountToken'] }).toEqual({
        service,
        pod: callsApi,
        sa: callsApi,
      });
    }
  });

  it('the lease Role lives in the release namespace only', () => {
    const rendered = render({ global: { watchNamespaces: ['apps', 'web'] } });
    const leaseRoles = ofKind(rendered, 'Role').filter((r) => JSON.stringify(r.object['rules']).includes('leases'));
    expect(leaseRoles.map((r) => r.object.metadata.namespace)).toEqual(['meridian']);
  });
});

describe('mutual TLS by default on the peer and witness gRPC', () => {
  it.each(['peer-sync', 'witness'] as const)('%s: the server requires client certificates and dials peers with its own', (service) => {
    const rendered = render();
    const workload = workloadOf(rendered, service);
    const container = mainContainer(workload, service);
    const { config } = configProblems(service, mountedConfig(rendered, workload, container).text, container);
    const c = config as { grpc: { tls?: { requireClientCert?: boolean; caFile?: string; certFile?: string } }; peering?: { plaintext?: boolean; tls?: { certFile?: string; caFile?: string } } };
    expect(c.grpc.tls).toEqual(expect.objectContaining({ requireClientCert: true, caFile: expect.any(String), certFile: expect.any(String) }));
    if (service === 'peer-sync') {
      expect(c.peering?.plaintext).toBe(false);
      expect(c.peering?.tls).toEqual(expect.objectContaining({ certFile: expect.any(String), caFile: expect.any(String) }));
    }
    const tlsMount = container.volumeMounts?.find((m) => c.grpc.tls?.certFile?.startsWith(`${m.mountPath}/`));
    const volume = workload.spec.template.spec.volumes?.find((v) => v.name === tlsMount?.name) as Volume | undefined;
    expect(volume?.secret?.secretName ?? volume?.projected).toBeTruthy();
  });

  it('witness peers are dialled with TLS in the multi-region examples', () => {
    expect(exampleValuesFiles(sandbox).length).toBeGreaterThanOrEqual(2);
    for (const file of exampleValuesFiles(sandbox)) {
      const rendered = parseRendered(sandbox.template(UMBRELLA, { valuesFiles: [file] }));
      const workload = workloadOf(rendered, 'witness');
      const container = mainContainer(workload, 'witness');
      const { config } = configProblems('witness', mountedConfig(rendered, workload, container).text, container);
      const c = config as { grpc: { tls?: { requireClientCert?: boolean } }; witness: { peers?: { region: string; tls?: { certFile?: string; keyFile?: string; caFile?: string } }[] } };
      const peers = c.witness.peers ?? [];
      expect(peers.length).toBeGreaterThan(0);
      expect({ file, server: c.grpc.tls?.requireClientCert, peers: peers.map((p) => ({ region: p.region, mutual: Boolean(p.tls?.certFile && p.tls.keyFile && p.tls.caFile) })) }).toEqual({
        file,
        server: true,
        peers: peers.map((p) => ({ region: p.region, mutual: true })),
      });
    }
  });
});

describe('peer-sync: TSIG from a Secret, certificates from cert-manager', () => {
  const edge = { enabled: true, server: '192.0.2.53', delegation: { enabled: true, addresses: ['203.0.113.10'] }, tsig: { existingSecret: 'meridian-tsig', key: 'tsig.key' } };

  it('mounts the TSIG key from the named Secret and points the config at it', () => {
    const rendered = render({ global: { zones: [{ zone: 'gslb.example.com', parentZone: 'example.com' }] }, 'peer-sync': { edgeDns: edge } });
    const workload = workloadOf(rendered, 'peer-sync');
    const container = mainContainer(workload, 'peer-sync');
    const { config, problems } = configProblems('peer-sync', mountedConfig(rendered, workload, container).text, container);
    expect(problems).toEqual([]);
    const tsig = (config as { edgeDns?: { delegation?: { tsig?: { keyFile?: string; secretFile?: string } } } }).edgeDns?.delegation?.tsig;
    const file = tsig?.keyFile ?? tsig?.secretFile;
    expect(file).toEqual(expect.any(String));
    const mount = container.volumeMounts?.find((m) => file?.startsWith(`${m.mountPath}/`));
    const volume = workload.spec.template.spec.volumes?.find((v) => v.name === mount?.name);
    expect(volume?.secret?.secretName).toBe('meridian-tsig');
    // The key inside the Secret lands at the path the config names.
    const relative = file?.slice((mount?.mountPath.length ?? 0) + 1);
    expect(volume?.secret?.items ? volume.secret.items.map((i) => i.path) : [relative]).toContain(relative);
    // And no TSIG secret material is rendered into the ConfigMap.
    expect(mountedConfig(rendered, workload, container).text).not.toMatch(/secret:\s*[A-Za-z0-9+/=]{16,}/);
  });

  it('refuses a delegation without a TSIG Secret, naming the value to set', () => {
    const result = sandbox.tryTemplate(UMBRELLA, { valuesFiles: [sandbox.valuesFile('no-tsig', { global: { zones: [{ zone: 'gslb.example.com', parentZone: 'example.com' }] }, 'peer-sync': { edgeDns: { ...edge, tsig: { existingSecret: '' } } } })] });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/tsig\.existingSecret/);
  });

  it('renders a valid cert-manager Certificate per service when enabled, and each pod mounts the Secret it issues', () => {
    const rendered = render({ global: { tls: { certManager: { enabled: true, issuerRef: { name: 'meridian-ca', kind: 'ClusterIssuer' } } } } });
    const certificates = ofKind(rendered, 'Certificate');
    expect(certificates.map(chartOf).sort()).toEqual([...SERVICES].sort());
    expect(validateWithKubernetesModels(certificates.map((r) => r.object)).filter((r) => !r.ok)).toEqual([]);
    for (const cert of certificates) {
      const service = chartOf(cert) as Service;
      const spec = cert.object['spec'] as { secretName: string; issuerRef: { name: string }; usages?: string[]; dnsNames?: string[] };
      expect(spec.issuerRef.name).toBe('meridian-ca');
      expect(spec.usages).toEqual(expect.arrayContaining(['server auth', 'client auth']));
      const volumes = workloadOf(rendered, service).spec.template.spec.volumes ?? [];
      expect({ service, mounted: volumes.some((v) => v.secret?.secretName === spec.secretName) }).toEqual({ service, mounted: true });
    }
  });

  it('renders no Certificate by default', () => {
    expect(ofKind(render(), 'Certificate')).toEqual([]);
  });

  it('refuses cert-manager without an issuer, naming the value to set', () => {
    const result = sandbox.tryTemplate(UMBRELLA, { valuesFiles: [sandbox.valuesFile('no-issuer', { global: { tls: { certManager: { enabled: true } } } })] });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/issuerRef\.name/);
  });
});

describe('dns', () => {
  it('publishes 53/UDP and 53/TCP, as a LoadBalancer when asked and a ClusterIP otherwise', () => {
    for (const type of ['LoadBalancer', 'ClusterIP']) {
      const rendered = render({ dns: { dns: { service: { type, ...(type === 'LoadBalancer' ? { loadBalancerSourceRanges: ['198.51.100.0/24'] } : {}) } } } });
      const workload = workloadOf(rendered, 'dns');
      const podLabels = workload.spec.template.metadata.labels;
      const container = mainContainer(workload, 'dns');
      const services = ofKind(rendered, 'Service').map((r) => r.object as KubeObject & { spec: { type?: string; selector?: Record<string, string>; ports: { port: number; protocol?: string; targetPort?: number | string }[]; loadBalancerSourceRanges?: string[] } });
      const dnsService = services.find((s) => selects(s.spec.selector, podLabels) && s.spec.ports.some((p) => p.port === 53));
      expect(dnsService).toBeDefined();
      const ports53 = dnsService?.spec.ports.filter((p) => p.port === 53) ?? [];
      expect(ports53.map((p) => p.protocol ?? 'TCP').sort()).toEqual(['TCP', 'UDP']);
      // Each targets a container port of the same protocol.
      for (const p of ports53) {
        const target = container.ports?.find((cp) => (cp.name === p.targetPort || cp.containerPort === p.targetPort) && (cp.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
        expect({ port: p, target: target?.containerPort }).toEqual({ port: p, target: expect.any(Number) });
      }
      expect(dnsService?.spec.type ?? 'ClusterIP').toBe(type);
      if (type === 'LoadBalancer') expect(dnsService?.spec.loadBalancerSourceRanges).toEqual(['198.51.100.0/24']);
    }
  });

  it('scales with an HPA that owns the replica count, and spreads over zones and nodes', () => {
    const rendered = render();
    const workload = workloadOf(rendered, 'dns');
    const hpas = ofKind(rendered, 'HorizontalPodAutoscaler').map((r) => r.object as KubeObject & { spec: { scaleTargetRef: { kind: string; name: string }; minReplicas?: number; maxReplicas: number } });
    expect(hpas.map((h) => h.spec.scaleTargetRef)).toEqual([expect.objectContaining({ kind: workload.kind, name: workload.metadata.name })]);
    expect(hpas[0]?.apiVersion).toBe('autoscaling/v2');
    // With an HPA, the Deployment leaves replicas out (else every upgrade resets the HPA's choice).
    expect(workload.spec.replicas).toBeUndefined();
    const keys = (workload.spec.template.spec.topologySpreadConstraints ?? []).map((t) => t.topologyKey).sort();
    expect(keys).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    for (const t of workload.spec.template.spec.topologySpreadConstraints ?? []) expect(selects(t.labelSelector?.matchLabels, workload.spec.template.metadata.labels)).toBe(true);
  });

  it('scaling it changes nothing outside the dns chart', () => {
    const a = render({ dns: { replicaCount: 2, autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 10 } } });
    const b = render({ dns: { replicaCount: 7, autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 40, targetCPUUtilizationPercentage: 50 } } });
    const c = render({ dns: { replicaCount: 7, autoscaling: { enabled: false } } });
    for (const [x, y] of [[a, b], [a, c]] as const) {
      const changed = changedObjects(x, y);
      expect(changed.length).toBeGreaterThan(0);
      expect(changed.filter((k) => k.chart !== 'dns')).toEqual([]);
    }
    // And the difference is real: the replica count or the HPA moved.
    expect(workloadOf(c, 'dns').spec.replicas).toBe(7);
    expect(ofKind(c, 'HorizontalPodAutoscaler')).toEqual([]);
  });
});

/** Objects added, removed or changed between two renders, with the chart each belongs to. */
function changedObjects(a: readonly Rendered[], b: readonly Rendered[]): { chart: string; key: string }[] {
  const index = (rs: readonly Rendered[]) => new Map(rs.map((r) => [keyOf(r.object), r]));
  const ia = index(a);
  const ib = index(b);
  const out: { chart: string; key: string }[] = [];
  for (const key of new Set([...ia.keys(), ...ib.keys()])) {
    const ra = ia.get(key);
    const rb = ib.get(key);
    if (JSON.stringify(ra?.object) !== JSON.stringify(rb?.object)) out.push({ chart: chartOf((ra ?? rb) as Rendered), key });
  }
  return out;
}
