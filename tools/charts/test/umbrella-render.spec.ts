import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CrdValidators, type Crd } from './support/crd-schema';
import { ChartSandbox } from './support/helm';
import { validateWithKubernetesModels } from './support/kube-schema';
import { chartOf, keyOf, parseRendered, type KubeObject, type Rendered } from './support/manifests';
import { exampleGslbs, exampleValuesFiles, UMBRELLA } from './support/umbrella';
import { configProblems, filesNamedBy, mainContainer, mountedConfig, mountFor, servicesIn, workloadOf } from './support/workloads';
import { SERVICES } from './support/workspace';

/**
 * The umbrella chart rendered by the real helm, with its default values and with each
 * multi-region example: every object is valid against the Kubernetes API schemas (or its
 * CRD's), and every service's config file is accepted by that service's own config schema.
 */
describe('the umbrella chart, rendered', () => {
  let sandbox: ChartSandbox;
  let crds: Crd[];
  let crdValidators: CrdValidators;
  const renders: [string, Rendered[]][] = [];

  beforeAll(() => {
    sandbox = ChartSandbox.create();
    const crdDir = join(sandbox.chartPath(UMBRELLA), 'crds');
    crds = readdirSync(crdDir)
      .filter((f) => /\.ya?ml$/.test(f))
      .flatMap((f) => parseAllDocuments(readFileSync(join(crdDir, f), 'utf8')).map((d) => d.toJS() as Crd))
      .filter((d) => d !== null);
    crdValidators = new CrdValidators(crds);
    renders.push(['default values', parseRendered(sandbox.template(UMBRELLA, { includeCrds: true }))]);
    for (const file of exampleValuesFiles(sandbox)) {
      renders.push([file.split('/').slice(-2).join('/'), parseRendered(sandbox.template(UMBRELLA, { valuesFiles: [file], includeCrds: true }))]);
    }
    // Every optional object switched on, so each template is checked against its schema.
    renders.push(['every optional object', parseRendered(sandbox.template(UMBRELLA, { valuesFiles: [sandbox.valuesFile('all-on', EVERYTHING_ON)], includeCrds: true }))]);
  });
  afterAll(() => sandbox?.destroy());

  it('renders with the default values, at least two example values files and every optional object', () => {
    expect(exampleValuesFiles(sandbox).length).toBeGreaterThanOrEqual(2);
    expect(renders.length).toBe(exampleValuesFiles(sandbox).length + 2);
    const kinds = new Set((renders.at(-1) as [string, Rendered[]])[1].map((r) => r.object.kind));
    for (const kind of ['ServiceMonitor', 'PrometheusRule', 'Certificate', 'HorizontalPodAutoscaler', 'CustomResourceDefinition']) expect({ kind, rendered: kinds.has(kind) }).toEqual({ kind, rendered: true });
  });

  it('renders every service in every render', () => {
    for (const [name, rendered] of renders) expect({ name, services: servicesIn(rendered) }).toEqual({ name, services: [...SERVICES] });
  });

  it('every rendered object is valid against the Kubernetes API schemas, or its CRD (no kind left unchecked)', () => {
    for (const [name, rendered] of renders) {
      const builtIn = rendered.filter((r) => !crdValidators.knows(r.object));
      const results = validateWithKubernetesModels(builtIn.map((r) => r.object));
      const problems = [
        ...builtIn.flatMap((r, i) => (results[i]?.ok ? [] : [`${r.source} ${keyOf(r.object)}: ${results[i]?.error}`])),
        ...rendered.filter((r) => crdValidators.knows(r.object)).flatMap((r) => crdValidators.problems(r.object).map((p) => `${r.source} ${keyOf(r.object)}: ${p}`)),
      ];
      expect({ name, problems }).toEqual({ name, problems: [] });
    }
  });

  it('the schema validation rejects an invalid object and a kind it has no schema for', () => {
    const [, rendered] = renders[0] as [string, Rendered[]];
    const deployment = structuredClone(rendered.find((r) => r.object.kind === 'Deployment')?.object) as KubeObject & { spec: { replicas: unknown } };
    deployment.spec.replicas = 'two';
    const unknown: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    const [bad, none] = validateWithKubernetesModels([deployment, unknown]);
    expect(bad).toEqual({ ok: false, error: expect.stringMatching(/spec\/replicas must be integer/) });
    expect(none).toEqual({ ok: false, error: expect.stringMatching(/no schema for example.com\/v1 Widget/) });
  });

  describe('CRDs in charts/meridian/crds', () => {
    it('are valid apiextensions.k8s.io/v1 CustomResourceDefinitions with a structural schema for each served version', () => {
      expect(crds.length).toBeGreaterThan(0);
      const results = validateWithKubernetesModels(crds);
      expect(results.map((r, i) => (r.ok ? 'ok' : `${crds[i]?.metadata.name}: ${r.error}`))).toEqual(crds.map(() => 'ok'));
      for (const crd of crds) {
        expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1');
        for (const v of crd.spec.versions.filter((x) => x.served)) expect({ crd: crd.metadata.name, version: v.name, type: v.schema?.openAPIV3Schema?.['type'] }).toEqual({ crd: crd.metadata.name, version: v.name, type: 'object' });
      }
    });

    it('define Gslb in both API groups (k8gb.io and the legacy k8gb.absa.oss), with the status subresource records patches', () => {
      expect(crdValidators.kinds()).toEqual(expect.arrayContaining(['k8gb.io/v1beta1 Gslb', 'k8gb.absa.oss/v1beta1 Gslb']));
      for (const crd of crds.filter((c) => c.spec.names.kind === 'Gslb')) {
        for (const v of crd.spec.versions.filter((x) => x.served)) expect({ crd: crd.metadata.name, status: v.subresources?.['status'] }).toEqual({ crd: crd.metadata.name, status: {} });
      }
    });

    it('accept the example Gslb objects', () => {
      const examples = exampleGslbs(sandbox);
      expect(examples.length).toBeGreaterThan(0);
      for (const { file, object } of examples) expect({ file, name: object.metadata.name, problems: crdValidators.problems(object) }).toEqual({ file, name: object.metadata.name, problems: [] });
    });

    it.each([
      ['an unknown strategy type', (g: GslbLike) => (g.spec.strategy.type = 'random'), /strategy\/type/],
      ['a string weight', (g: GslbLike) => (g.spec.strategy.weight = { eu: 'heavy' }), /weight/],
      ['an unknown field', (g: GslbLike) => ((g.spec as Record<string, unknown>)['strategyy'] = {}), /strategyy/],
      ['no strategy', (g: GslbLike) => delete (g.spec as Partial<GslbLike['spec']>).strategy, /strategy/],
    ])('reject a Gslb with %s', (_name, mutate, expected) => {
      const example = exampleGslbs(sandbox).find((e) => (e.object as GslbLike).spec?.strategy !== undefined);
      expect(example).toBeDefined();
      const gslb = structuredClone(example?.object) as GslbLike;
      mutate(gslb);
      expect(crdValidators.problems(gslb).join('\n')).toMatch(expected);
    });
  });

  describe.each(SERVICES.map((s) => [s]))('the config file of %s', (service) => {
    it('is accepted by the service config schema, in every render', () => {
      for (const [name, rendered] of renders) {
        const workload = workloadOf(rendered, service);
        const container = mainContainer(workload, service);
        const { text } = mountedConfig(rendered, workload, container);
        expect({ name, problems: configProblems(service, text, container).problems }).toEqual({ name, problems: [] });
      }
    });

    it('listens on the container ports and names only files that are mounted', () => {
      for (const [name, rendered] of renders) {
        const workload = workloadOf(rendered, service);
        const container = mainContainer(workload, service);
        const { config } = configProblems(service, mountedConfig(rendered, workload, container).text, container);
        expect({ name, valid: config !== undefined }).toEqual({ name, valid: true });
        const c = config as { grpc: { port: number }; metrics: { port: number }; dns?: { port: number } };
        const ports = new Map((container.ports ?? []).map((p) => [`${p.name}/${p.protocol ?? 'TCP'}`, p.containerPort]));
        expect({ name, grpc: c.grpc.port, metrics: c.metrics.port }).toEqual({ name, grpc: ports.get('grpc/TCP'), metrics: ports.get('metrics/TCP') });
        if (service === 'dns') {
          const dnsPorts = (container.ports ?? []).filter((p) => p.containerPort === c.dns?.port).map((p) => p.protocol ?? 'TCP');
          expect({ name, dnsPorts: dnsPorts.sort() }).toEqual({ name, dnsPorts: ['TCP', 'UDP'] });
        }
        const unmounted = filesNamedBy(config).filter((f) => {
          const mount = mountFor(container, f.path);
          return !mount || mount.mountPath === '/tmp';
        });
        expect({ name, unmounted }).toEqual({ name, unmounted: [] });
      }
    });

    it('a bad config is caught by the same check (it is not a no-op)', () => {
      const [, rendered] = renders[0] as [string, Rendered[]];
      const workload = workloadOf(rendered, service);
      const container = mainContainer(workload, service);
      const { text } = mountedConfig(rendered, workload, container);
      const { problems } = configProblems(service, `${text}\nnoSuchField: 1\n`, container);
      expect(problems).toEqual([expect.stringMatching(/^noSuchField: unknown field/)]);
      const env = { ...container, env: [...(container.env ?? []), { name: 'MERIDIAN_GRPC__PORT', value: '70000' }] };
      expect(configProblems(service, text, env).problems.join('\n')).toMatch(/grpc\.port: must be a port number/);
    });
  });

  it('a witness told the regions but given no observers is refused at install time, not left to crash-loop', () => {
    const values = { global: EVERYTHING_ON.global };
    const result = sandbox.tryTemplate(UMBRELLA, { valuesFiles: [sandbox.valuesFile('witness-no-observers', values)] });
    if (result.status === 0) {
      // If the chart renders it, the config must be one the witness starts with.
      const rendered = parseRendered(result.stdout);
      const workload = workloadOf(rendered, 'witness');
      const container = mainContainer(workload, 'witness');
      expect(configProblems('witness', mountedConfig(rendered, workload, container).text, container).problems).toEqual([]);
    } else {
      expect(result.stderr).toMatch(/witness/);
      expect(result.stderr).toMatch(/resolvers|peers/);
    }
  });

  it('renders every object with the Kubernetes recommended labels', () => {
    const missing: string[] = [];
    for (const [name, rendered] of renders) {
      for (const r of rendered.filter((x) => x.object.kind !== 'CustomResourceDefinition')) {
        const labels = r.object.metadata.labels ?? {};
        for (const key of ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/version', 'app.kubernetes.io/component', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by', 'helm.sh/chart']) {
          if (!labels[key]) missing.push(`${name}: ${r.source} ${keyOf(r.object)} has no ${key}`);
        }
        if (labels['app.kubernetes.io/part-of'] && labels['app.kubernetes.io/part-of'] !== 'meridian') missing.push(`${name}: ${keyOf(r.object)} part-of ${labels['app.kubernetes.io/part-of']}`);
        const chart = chartOf(r);
        if ((SERVICES as readonly string[]).includes(chart) && labels['app.kubernetes.io/name'] !== chart) missing.push(`${name}: ${keyOf(r.object)} of chart ${chart} is labelled name=${labels['app.kubernetes.io/name']}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

/** Values that switch on every optional object of every chart. */
const EVERYTHING_ON = {
  global: {
    region: 'eu',
    regions: [{ geoTag: 'eu', proximity: ['us'], nameservers: ['203.0.113.10:53'] }, { geoTag: 'us', proximity: ['eu'], nameservers: ['198.51.100.10:53'] }],
    zones: [{ zone: 'gslb.example.com', parentZone: 'example.com' }],
    tls: { certManager: { enabled: true, issuerRef: { name: 'meridian-ca', kind: 'ClusterIssuer' } } },
  },
  ...Object.fromEntries(SERVICES.map((s) => [s, { serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus-stack' } } }])),
  records: { serviceMonitor: { enabled: true }, kubernetes: { dnsEndpoints: true } },
  witness: { serviceMonitor: { enabled: true }, resolvers: ['192.0.2.1:53', '192.0.2.2:53', '192.0.2.3:53'], peers: [{ region: 'us', address: 'witness.us.example.com:7103' }] },
  'peer-sync': {
    serviceMonitor: { enabled: true },
    peers: [{ region: 'us', address: 'peer-sync.us.example.com:7102' }],
    edgeDns: { enabled: true, server: '192.0.2.53', delegation: { enabled: true, addresses: ['203.0.113.10'] }, discovery: { enabled: true }, tsig: { existingSecret: 'meridian-tsig' } },
  },
};

interface GslbLike extends KubeObject {
  spec: { strategy: { type: string; weight?: Record<string, unknown> } };
}
