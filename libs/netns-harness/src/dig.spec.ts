import { digArgs, digRepeatArgs, parseDigYaml, parseDigYamlAll } from './index';

const answer = `- type: MESSAGE
  message:
    type: RECURSIVE_RESPONSE
    response_message_data:
      opcode: QUERY
      status: NOERROR
      flags: qr rd ra
      ANSWER_SECTION:
        - 'eu._witness.gslb.example.com. 1 IN TXT "region=eu seq=4 time=2026-11-21T12:00:00.000Z" "two \\"quoted\\""'
      AUTHORITY_SECTION:
        - 'gslb.example.com. 30 IN NS gslb-ns-eu-gslb.example.com.'
`;

/** Two questions in one dig run (`dig +yaml … +subnet=10.1.0.0/16 name A name A`): an ECS answer, then no reply. */
const twoMessages = `- type: MESSAGE
  message:
    type: AUTH_RESPONSE
    response_message_data:
      opcode: QUERY
      status: NOERROR
      flags: qr aa
      OPT_PSEUDOSECTION:
        EDNS:
          version: 0
          flags:
          udp: 1232
          CLIENT-SUBNET: 10.1.0.0/16/16
      QUESTION_SECTION:
        - 'geoip.gslb.example.com. IN A'
      ANSWER_SECTION:
        - 'geoip.gslb.example.com. 1 IN A 192.0.2.10'
        - 'geoip.gslb.example.com. 1 IN A 198.51.100.10'
- type: DIG_ERROR
  message: |
    communications error to 10.77.2.2#53: timed out
`;

describe('parseDigYamlAll', () => {
  it('reads one result per question, in order, with the echoed client subnet and the answer order kept', () => {
    const [first, second, ...rest] = parseDigYamlAll(twoMessages);
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ status: 'NOERROR', flags: ['qr', 'aa'], clientSubnet: '10.1.0.0/16/16' });
    expect(first?.answer.map((a) => a.data)).toEqual(['192.0.2.10', '198.51.100.10']);
    expect(second).toMatchObject({ status: 'NO-REPLY', answer: [] });
    expect(second?.clientSubnet).toBeUndefined();
  });

  it.each([
    ['nothing at all', ''],
    ['not YAML', '::: {'],
    ['not a list', 'type: MESSAGE'],
  ])('reads %s as no results', (_name, text) => {
    expect(parseDigYamlAll(text)).toEqual([]);
  });
});

describe('digRepeatArgs', () => {
  it('asks the same question count times after the common options', () => {
    expect(digRepeatArgs('10.0.0.1', 'w.example', 'A', 3, { subnet: '10.2.0.0/16' })).toEqual([
      '+yaml',
      '+time=2',
      '+tries=1',
      '+recurse',
      '+subnet=10.2.0.0/16',
      '@10.0.0.1',
      '-p',
      '53',
      'w.example',
      'A',
      'w.example',
      'A',
      'w.example',
      'A',
    ]);
  });

  it.each([0, -1, 1.5, NaN])('refuses count %p', (count) => {
    expect(() => digRepeatArgs('10.0.0.1', 'w.example', 'A', count)).toThrow(/count must be a positive integer/);
  });
});

describe('parseDigYaml', () => {
  it('reads status, flags and sections, with TXT strings unquoted', () => {
    const result = parseDigYaml(answer);
    expect(result).toMatchObject({ status: 'NOERROR', flags: ['qr', 'rd', 'ra'] });
    expect(result.answer).toEqual([
      {
        name: 'eu._witness.gslb.example.com',
        ttl: 1,
        type: 'TXT',
        data: '"region=eu seq=4 time=2026-11-21T12:00:00.000Z" "two \\"quoted\\""',
        texts: ['region=eu seq=4 time=2026-11-21T12:00:00.000Z', 'two "quoted"'],
      },
    ]);
    expect(result.authority[0]).toMatchObject({ name: 'gslb.example.com', type: 'NS', data: 'gslb-ns-eu-gslb.example.com.' });
  });

  it.each([
    ['no server reached', '- type: DIG_ERROR\n  message: |\n    no servers could be reached\n'],
    ['nothing at all', ''],
    ['not YAML', '::: {'],
  ])('calls %s NO-REPLY', (_name, text) => {
    expect(parseDigYaml(text).status).toBe('NO-REPLY');
  });

  it('builds the command line', () => {
    expect(digArgs('10.0.0.1', 'a.example', 'TXT', { recurse: false, port: 5353, tcp: true })).toEqual([
      '+yaml',
      '+time=2',
      '+tries=1',
      '+norecurse',
      '+tcp',
      '@10.0.0.1',
      '-p',
      '5353',
      'a.example',
      'TXT',
    ]);
  });
});
