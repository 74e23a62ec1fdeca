import { mkdtempSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResourceStore } from '@meridian/gslb-resources';
import { nullLogger } from '@meridian/logging';
import { FileResourceSource, parseManifests } from '../src';

const docs = (...parts: string[]) => parts.join('\n---\n');
const svc = (name: string, extra = '') => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: demo${extra}\nspec:\n  type: ClusterIP`;

describe('parseManifests', () => {
  it('reads every usable document and reports the others with their index', () => {
    const text = docs(
      svc('a'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}',
      'apiVersion: v1\nkind: Service\nmetadata: {namespace: demo}',
      'kind: [unclosed',
      'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Service, metadata: {name: b}}\n  - {apiVersion: k8gb.absa.oss/v1beta1, kind: Gslb, metadata: {name: g, namespace: demo}}',
      '',
    );
    const { objects, problems } = parseManifests(text, '/etc/x.yaml');
    expect(objects.map((o) => `${o.kind.id}/${o.namespace}/${o.name}`)).toEqual(['service/demo/a', 'service/default/b', 'gslb-legacy/demo/g']);
    expect(problems.map((p) => [p.resource, p.field])).toEqual([
      ['document 2', 'kind'],
      ['document 3', 'metadata.name'],
      ['document 4', ''],
    ]);
    expect(problems[0]?.source).toBe('file:/etc/x.yaml');
    expect(problems[0]?.message).toMatch(/"v1" "ConfigMap" is not a kind Meridian reads; fix: use one of .*k8gb\.io\/v1beta1 Gslb/);
    expect(problems[2]?.message).toMatch(/YAML syntax error at line \d+/);
  });
});

describe('FileResourceSource', () => {
  let dir: string;
  let source: FileResourceSource;
  let store: ResourceStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-files-'));
    store = new ResourceStore();
  });

  afterEach(async () => {
    await source?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function until(condition: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  const names = () => store.list('service').map((o) => o.name).join();

  it('loads at start, syncs, and reloads when a file is replaced the way editors do', async () => {
    const path = join(dir, 'resources.yaml');
    writeFileSync(path, docs(svc('a'), svc('b')));
    source = new FileResourceSource({ paths: [path], logger: nullLogger, pollIntervalMs: 60_000, debounceMs: 10 });
    await source.start(store);
    expect(store.isInitiallySynced()).toBe(true);
    expect(names()).toBe('a,b');
    writeFileSync(join(dir, 'next.tmp'), docs(svc('b'), svc('c')));
    renameSync(join(dir, 'next.tmp'), path);
    await until(() => names() === 'b,c', 'the reload');
    expect(store.list('service')[0]?.origin).toBe(`file:${path}`);
  });

  it('keeps the good documents when one breaks, and reports the broken one', async () => {
    const path = join(dir, 'resources.yaml');
    writeFileSync(path, docs(svc('a'), svc('b')));
    source = new FileResourceSource({ paths: [path], logger: nullLogger, pollIntervalMs: 20, debounceMs: 5 });
    await source.start(store);
    writeFileSync(path, docs(svc('a'), 'apiVersion: v1\nkind: Service\nmetadata: {name: [b'));
    await until(() => store.sourceProblems().length > 0, 'the problem');
    expect(names()).toBe('a');
    expect(new Set(store.sourceProblems().map((p) => `${p.source} ${p.resource}`))).toEqual(new Set([`file:${path} document 2`]));
    writeFileSync(path, docs(svc('a'), svc('b')));
    await until(() => store.sourceProblems().length === 0 && names() === 'a,b', 'the fix');
  });

  it('keeps what a file held while it cannot be read, and reports duplicates across files', async () => {
    const first = join(dir, 'a.yaml');
    const second = join(dir, 'b.yaml');
    writeFileSync(first, svc('a'));
    writeFileSync(second, docs(svc('a'), svc('b')));
    source = new FileResourceSource({ paths: [first, second], logger: nullLogger, pollIntervalMs: 20, debounceMs: 5 });
    await source.start(store);
    expect(names()).toBe('a,b');
    expect(store.sourceProblems()).toEqual([expect.objectContaining({ resource: 'Service/demo/a', source: `file:${second}`, message: expect.stringContaining('defined more than once') })]);
    rmSync(first);
    await until(() => store.sourceProblems().some((p) => p.resource === 'file'), 'the unreadable file problem');
    expect(names()).toBe('a,b');
    expect(store.get('service', 'demo', 'a')?.origin).toBe(`file:${first}`);
  });
});
