import type { DnsClient } from '@meridian/dns-wire';
import { DirectObserver, type HostPort } from '../src/index';
import { FakeDnsClient, type FakeReply } from './fake-dns-client';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);

describe('DirectObserver: what this region sees, for Observe', () => {
  const servers: Record<string, FakeReply> = {
    '10.0.0.1:53': 'silence',
    '10.0.0.2:53': { txt: [[`seq=3 time=${new Date(NOW - 200).toISOString()}`]] },
    '10.0.1.1:53': { rcode: 'SERVFAIL' },
  };
  const clients = new Map<string, FakeDnsClient>();
  const clientFor = (s: HostPort): DnsClient => {
    const key = `${s.host}:${s.port}`;
    const client = clients.get(key) ?? new FakeDnsClient(() => servers[key] ?? 'silence');
    clients.set(key, client);
    return client;
  };
  const observer = new DirectObserver({
    name: 'ap',
    nameservers: new Map([
      ['eu', [{ host: '10.0.0.1', port: 53 }, { host: '10.0.0.2', port: 53 }]],
      ['us', [{ host: '10.0.1.1', port: 53 }]],
      ['ap', []],
    ]),
    clientFor,
    timeoutMs: 500,
    freshness: { maxAgeMs: 10_000, maxClockSkewMs: 5_000 },
    clock: () => NOW,
  });

  it('asks every nameserver of a region without recursion; one answer is enough', async () => {
    const observations = await observer.observe([
      { region: 'eu', name: 'eu._witness.gslb.example.com' },
      { region: 'us', name: 'us._witness.gslb.example.com' },
      { region: 'ap', name: 'ap._witness.gslb.example.com' },
    ]);
    expect(observations.map((o) => [o.observer, o.region, o.result, o.observerAnswered])).toEqual([
      ['ap', 'eu', 'FRESH', true],
      ['ap', 'us', 'FAILED', true],
    ]);
    expect(observations[1]?.reason).toBe("no heartbeat from us's nameservers: 10.0.1.1:53 SERVFAIL");
    expect(clients.get('10.0.0.2:53')?.asked[0]).toMatchObject({ recursionDesired: false, type: 16 });
  });
});
