import { digArgs, parseDigYaml } from './index';

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
