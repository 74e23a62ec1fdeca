import { createMetricsRegistry, lintMetricNames } from '@meridian/metrics';
import { PeerSyncMetrics } from './peer-sync-metrics';

describe('PeerSyncMetrics', () => {
  it('passes the metric-name lint and computes the peer gauges at scrape time', async () => {
    const registry = createMetricsRegistry({ runtimeMetrics: false });
    const now = new Date('2026-11-21T12:00:10Z');
    const metrics = new PeerSyncMetrics(registry, () => now);
    metrics.observePeers(() => [
      { region: 'us', kind: 'meridian', connected: true, missing: false, lastContact: new Date('2026-11-21T12:00:07.500Z'), hosts: 3 },
      { region: 'legacy', kind: 'k8gb', connected: false, missing: true, lastContact: undefined, hosts: 0 },
    ]);
    metrics.message('us', 'sent', 'delta', 120);
    metrics.updateLatency.observe({ peer: 'us' }, 0.004);
    expect(lintMetricNames(registry, 'peer-sync')).toEqual([]);
    const text = await registry.metrics();
    expect(text).toContain('meridian_peer_sync_peers_connected 1');
    expect(text).toContain('meridian_peer_sync_peer_last_contact_age_seconds{peer="us"} 2.5');
    expect(text).not.toContain('meridian_peer_sync_peer_last_contact_age_seconds{peer="legacy"}');
    expect(text).toContain('meridian_peer_sync_peers{kind="k8gb",state="missing"} 1');
    expect(text).toContain('meridian_peer_sync_exchange_bytes_total{peer="us",direction="sent"} 120');
  });
});
