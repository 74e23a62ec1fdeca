import { K8gbPeerUnreachableError, type LocalTargetsAnswer } from '@meridian/k8gb-interop';
import { nullLogger } from '@meridian/logging';
import { createMetricsRegistry } from '@meridian/metrics';
import { HealthState } from '@meridian/proto';
import { addresses, host } from '../test/hosts';
import { K8gbPeerPoller } from './k8gb-peer-poller';
import { LocalTargets } from './local-targets';
import { PeerSyncMetrics } from './peer-sync-metrics';
import { RemoteTargets } from './remote-targets';

describe('K8gbPeerPoller', () => {
  const setup = (answers: Record<string, string[] | 'down'>) => {
    const local = new LocalTargets({ region: 'eu' });
    local.replaceAll([host('app.gslb.example.com', ['10.0.0.1']), host('db.gslb.example.com', ['10.0.0.2'])]);
    const remote = new RemoteTargets({ contactUpdateMs: 1000 });
    remote.addRegion('legacy');
    const reader = {
      read: async (name: string): Promise<LocalTargetsAnswer> => {
        const answer = answers[name];
        if (answer === 'down' || answer === undefined) throw new K8gbPeerUnreachableError(`no nameserver answered localtargets-${name}`);
        return { host: name, server: 'ns:53', rcode: answer.length ? 'NOERROR' : 'NXDOMAIN', ipv4: answer.filter((a) => !a.includes(':')), ipv6: answer.filter((a) => a.includes(':')) };
      },
    };
    const statuses: string[] = [];
    const poller = new K8gbPeerPoller({
      peer: { region: 'legacy', kind: 'k8gb', nameservers: ['ns:53'], source: 'static' },
      reader,
      local,
      remote,
      pollMs: 60_000,
      metrics: new PeerSyncMetrics(createMetricsRegistry({ runtimeMetrics: false })),
      logger: nullLogger,
      onStatus: (connected, error) => statuses.push(`${connected} ${error}`),
    });
    return { local, remote, poller, statuses, answers };
  };

  it('turns answers into hosts of the k8gb region: addresses are healthy targets, none is unhealthy', async () => {
    const { remote, poller } = setup({ 'app.gslb.example.com': ['10.9.0.1', 'fd00::9'], 'db.gslb.example.com': [] });
    await poller.pollOnce();
    const [app, db] = remote.hosts('legacy');
    expect(app).toMatchObject({ host: 'app.gslb.example.com', region: 'legacy', serviceHealth: HealthState.HEALTH_STATE_HEALTHY });
    expect(addresses(app)).toEqual(['10.9.0.1', 'fd00::9']);
    expect(db).toMatchObject({ serviceHealth: HealthState.HEALTH_STATE_UNHEALTHY, targets: [] });
    expect(remote.view('legacy')?.connected).toBe(true);
  });

  it('publishes nothing when nothing changed, keeps a host whose lookup failed, and drops hosts no longer local', async () => {
    const { remote, poller, local, answers } = setup({ 'app.gslb.example.com': ['10.9.0.1'], 'db.gslb.example.com': ['10.9.0.2'] });
    await poller.pollOnce();
    const version = remote.stream.version;
    await poller.pollOnce();
    expect(remote.stream.version).toBe(version);
    answers['db.gslb.example.com'] = 'down';
    await poller.pollOnce();
    expect(addresses(remote.hosts('legacy')[1])).toEqual(['10.9.0.2']);
    local.apply([], ['db.gslb.example.com']);
    await poller.pollOnce();
    expect(remote.hosts('legacy').map((h) => h.host)).toEqual(['app.gslb.example.com']);
  });

  it('is disconnected, with the reason, when no lookup is answered', async () => {
    const { remote, poller, statuses } = setup({ 'app.gslb.example.com': 'down', 'db.gslb.example.com': 'down' });
    await poller.pollOnce();
    expect(remote.view('legacy')?.connected).toBe(false);
    expect(statuses).toEqual([expect.stringMatching(/^false no nameserver answered localtargets-/)]);
  });
});
