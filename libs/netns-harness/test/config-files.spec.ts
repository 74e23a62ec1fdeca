import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bindConfig, describeWithPrograms, run, unboundConfig, zoneFile } from '../src/index';

describeWithPrograms('generated configurations pass the programs’ own checks', ['unbound-checkconf', 'named-checkconf'], () => {
  it('unbound-checkconf accepts a witness resolver configuration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meridian-ubconf-'));
    const { conf, rootHints } = unboundConfig({
      dir,
      listen: [{ address: '127.0.0.1', port: 5399 }],
      rootServers: [{ name: 'ns.root-servers.test', address: '10.77.1.2' }],
      stubZones: [{ name: 'eu._witness.gslb.example.com', servers: ['127.0.0.1@5400'] }],
      queryLocalhost: true,
    });
    writeFileSync(join(dir, 'unbound.conf'), conf);
    writeFileSync(join(dir, 'root.hints'), rootHints ?? '');
    const out = await run('unbound-checkconf', [join(dir, 'unbound.conf')], { check: false });
    expect(out.stdout + out.stderr).toContain('no errors');
  });

  it.each([
    ['without a cache, order kept', undefined, ['cache-max-ttl: 0', 'cache-max-negative-ttl: 0', 'rrset-roundrobin: no']],
    ['with EDNS Client Subnet', 'subnetcache iterator', ['send-client-subnet: 10.77.2.2', 'max-client-subnet-ipv4: 24']],
  ])('unbound-checkconf accepts a client resolver %s, with its module-config', async (_name, modules, extra) => {
    const dir = mkdtempSync(join(tmpdir(), 'meridian-ubconf-'));
    const { conf, rootHints } = unboundConfig({
      dir,
      listen: [{ address: '127.0.0.1', port: 5301 }],
      rootServers: [{ name: 'ns.root-servers.test', address: '10.77.1.2' }],
      ...(modules ? { modules } : {}),
      extra,
    });
    expect(conf).toContain(`module-config: "${modules ?? 'iterator'}"`);
    writeFileSync(join(dir, 'unbound.conf'), conf);
    writeFileSync(join(dir, 'root.hints'), rootHints ?? '');
    const out = await run('unbound-checkconf', [join(dir, 'unbound.conf')], { check: false });
    expect(out.stdout + out.stderr).toContain('no errors');
  });

  it('named-checkconf -z accepts the edge configuration and zones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meridian-bindconf-'));
    const root = zoneFile('.', 'ns.root-servers.test', [
      { name: '@', type: 'NS', data: 'ns.root-servers.test' },
      { name: 'ns.root-servers.test', type: 'A', data: '10.77.1.2' },
      { name: 'example.com', type: 'NS', data: 'ns.example.com' },
      { name: 'ns.example.com', type: 'A', data: '10.77.1.2' },
    ]);
    const parent = zoneFile('example.com', 'ns.example.com', [
      { name: '@', type: 'NS', data: 'ns.example.com' },
      { name: 'ns.example.com', type: 'A', data: '10.77.1.2' },
      { name: 'gslb.example.com', type: 'NS', data: 'gslb-ns-eu-gslb.example.com' },
      { name: 'gslb-ns-eu-gslb.example.com', type: 'A', data: '10.77.2.2' },
    ]);
    const bind = bindConfig({
      dir,
      listen: [{ address: '127.0.0.1', port: 5399 }],
      zones: [
        { name: '.', text: root },
        { name: 'example.com', text: parent, updateKey: { name: 'k', algorithm: 'hmac-sha256', secret: Buffer.alloc(32, 7).toString('base64') } },
      ],
    });
    for (const [file, text] of Object.entries(bind.files)) writeFileSync(join(dir, file), text);
    writeFileSync(join(dir, 'named.conf'), bind.conf);
    const out = await run('named-checkconf', ['-z', join(dir, 'named.conf')], { check: false });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('zone example.com/IN: loaded serial 1');
  });
});
