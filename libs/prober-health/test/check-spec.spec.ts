import { checkInputSchema, checkListSchema, checksFromAnnotation, compileCheck, DEFAULT_CHECK_TIMING, parseHostPort } from '../src';
import type { FieldProblem } from '@meridian/gslb-resources';

const compile = (input: unknown) => compileCheck(checkInputSchema.parse(input), DEFAULT_CHECK_TIMING);

describe('compileCheck', () => {
  it('fills defaults for a per-target HTTP check', () => {
    expect(compile({ type: 'http', port: 8080, path: '/healthz' })).toEqual({
      name: 'http',
      type: 'http',
      intervalMs: 5000,
      timeoutMs: 2000,
      rise: 2,
      fall: 3,
      jitter: 0.1,
      families: ['ipv4', 'ipv6', 'name'],
      port: 8080,
      method: 'GET',
      path: '/healthz',
      headers: {},
      expectStatus: [[200, 399]],
      insecureSkipVerify: false,
      keepAlive: false,
      service: '',
      tls: false,
    });
  });

  it('takes a URL apart into type, fixed endpoint, path, Host header and server name', () => {
    expect(compile({ url: 'https://[::1]:8443/ready?full=1', expectStatus: [200, '204-206'] })).toMatchObject({
      type: 'https',
      endpoint: { host: '::1', port: 8443 },
      port: 8443,
      path: '/ready?full=1',
      hostHeader: '[::1]:8443',
      sni: '::1',
      expectStatus: [
        [200, 200],
        [204, 206],
      ],
    });
    expect(compile({ type: 'grpc', address: 'localhost:50051', service: 'app' })).toMatchObject({ endpoint: { host: 'localhost', port: 50051 }, port: 50051 });
  });

  it.each([
    [{}, 'type'],
    [{ type: 'tcp' }, 'port'],
    [{ type: 'http', url: 'ftp://x/' }, 'url'],
    [{ type: 'tcp', url: 'http://x/' }, 'type'],
    [{ url: 'http://x/', address: 'x:1' }, 'address'],
    [{ type: 'http', address: 'no-port' }, 'address'],
    [{ type: 'http', intervalSeconds: 1, timeoutSeconds: 2 }, 'timeoutSeconds'],
    [{ type: 'http', expectStatus: ['2xx'] }, 'expectStatus.0'],
    [{ type: 'http', jitter: 0.9 }, 'jitter'],
    [{ type: 'http', families: ['ipv5'] }, 'families.0'],
    [{ type: 'http', retries: 3 }, ''],
  ])('rejects %j at %s', (input, path) => {
    const result = checkInputSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('requires distinct names in a list', () => {
    const result = checkListSchema.safeParse([{ type: 'http' }, { type: 'http', path: '/b' }]);
    expect(result.error?.issues[0]).toMatchObject({ path: [1, 'name'] });
  });

  it.each([
    ['127.0.0.1:80', { host: '127.0.0.1', port: 80 }],
    ['[2001:db8::1]:443', { host: '2001:db8::1', port: 443 }],
    ['name.example:0', 'invalid'],
    ['2001:db8::1:443', 'invalid'],
  ])('parseHostPort(%s)', (text, expected) => {
    expect(parseHostPort(text)).toEqual(expected);
  });
});

describe('checksFromAnnotation', () => {
  it('reads a YAML list, and reports every problem with the annotation and the path inside it', () => {
    const problems: FieldProblem[] = [];
    expect(checksFromAnnotation({ 'meridian.io/checks': '- {type: tcp, port: 443}\n- {type: http, name: api, path: /api}' }, DEFAULT_CHECK_TIMING, problems).map((c) => c.name)).toEqual(['tcp', 'api']);
    expect(problems).toEqual([]);
    const bad = checksFromAnnotation({ 'meridian.io/checks': '[{type: http, rise: 0}, {type: tcp}]' }, DEFAULT_CHECK_TIMING, problems);
    expect(bad).toEqual([]);
    expect(problems.map((p) => [p.field, p.value])).toEqual([
      ['metadata.annotations["meridian.io/checks"][0].rise', 0],
      ['metadata.annotations["meridian.io/checks"][1].port', undefined],
    ]);
    const syntax: FieldProblem[] = [];
    checksFromAnnotation({ 'meridian.io/checks': '[{type: http' }, DEFAULT_CHECK_TIMING, syntax);
    expect(syntax[0]?.problem).toMatch(/is not valid YAML/);
  });
});
