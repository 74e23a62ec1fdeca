import { AuthoritativeResponder, describeWithPrograms, dig, parseHeartbeat } from './support';

describeWithPrograms('AuthoritativeResponder, asked by dig', ['dig'], () => {
  let now = Date.UTC(2026, 10, 21, 12, 0, 0);
  let responder: AuthoritativeResponder;

  beforeAll(async () => {
    responder = await AuthoritativeResponder.start({
      zone: {
        origin: 'gslb.example.com',
        nameservers: [{ name: 'gslb-ns-eu-gslb.example.com' }],
        delegations: [{ name: 'us._witness.gslb.example.com', nameservers: [{ name: 'gslb-ns-us-gslb.example.com' }] }],
        heartbeats: [{ name: 'eu._witness.gslb.example.com', region: 'eu', intervalMs: 1000 }],
      },
      clock: () => now,
    });
  });
  afterAll(() => responder?.stop());

  const ask = (name: string, type = 'TXT', tcp = false) => dig('127.0.0.1', name, type, { port: responder.port, recurse: false, tcp, timeoutSeconds: 1 });

  it.each([false, true])('answers its heartbeat authoritatively (tcp: %s), and the sequence moves with the clock', async (tcp) => {
    const first = await ask('eu._witness.gslb.example.com', 'TXT', tcp);
    expect(first.status).toBe('NOERROR');
    expect(first.flags).toContain('aa');
    const before = parseHeartbeat(first);
    now += 3_000;
    const after = parseHeartbeat(await ask('eu._witness.gslb.example.com', 'TXT', tcp));
    expect(after.sequence).toBe((before.sequence ?? 0) + 3);
    expect(after.region).toBe('eu');
  });

  it('refers other regions’ heartbeats to their own nameservers', async () => {
    const result = await ask('us._witness.gslb.example.com');
    expect(result.status).toBe('NOERROR');
    expect(result.flags).not.toContain('aa');
    expect(result.authority.map((r) => r.data)).toEqual(['gslb-ns-us-gslb.example.com.']);
  });

  it('drops every query while silenced (a dead or cut-off region)', async () => {
    responder.setSilent(true);
    expect((await ask('eu._witness.gslb.example.com')).status).toBe('NO-REPLY');
    responder.setSilent(false);
    expect((await ask('eu._witness.gslb.example.com')).status).toBe('NOERROR');
  });

  it('keeps answering with the same sequence while frozen (a stuck publisher)', async () => {
    responder.setFrozen(true);
    const frozen = parseHeartbeat(await ask('eu._witness.gslb.example.com')).sequence;
    now += 5_000;
    expect(parseHeartbeat(await ask('eu._witness.gslb.example.com')).sequence).toBe(frozen);
    responder.setFrozen(false);
    expect(parseHeartbeat(await ask('eu._witness.gslb.example.com')).sequence).toBe((frozen ?? 0) + 5);
  });
});
