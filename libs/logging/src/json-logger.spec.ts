import { JsonLogger } from './json-logger';
import type { LogLevel } from './logger';

function capture(level: LogLevel) {
  const lines: Record<string, unknown>[] = [];
  const logger = new JsonLogger({
    level,
    bindings: { service: 'dns' },
    sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    now: () => new Date('2026-01-02T03:04:05.000Z'),
  });
  return { logger, lines };
}

describe('JsonLogger', () => {
  it.each<[LogLevel, number]>([
    ['debug', 4],
    ['info', 3],
    ['warn', 2],
    ['error', 1],
  ])('at level %s writes %d of the four levels', (level, expected) => {
    const { logger, lines } = capture(level);
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines).toHaveLength(expected);
  });

  it('writes time, level, message, bindings and fields as one JSON object', () => {
    const { logger, lines } = capture('info');
    logger.child({ component: 'zone' }).info('applied', { version: 7 });
    expect(lines).toEqual([
      { time: '2026-01-02T03:04:05.000Z', level: 'info', msg: 'applied', service: 'dns', component: 'zone', version: 7 },
    ]);
  });

  it('serializes errors with their cause chain', () => {
    const { logger, lines } = capture('info');
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    logger.error('subscription failed', { err: new Error('records unreachable', { cause }) });
    const err = lines[0]?.['err'] as { message: string; cause: { message: string; code: string } };
    expect(err.message).toBe('records unreachable');
    expect(err.cause).toMatchObject({ message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' });
  });

  it('never throws on cyclic or bigint fields', () => {
    const { logger, lines } = capture('info');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    logger.info('odd', { cyclic, big: 10n });
    expect(lines[0]).toMatchObject({ cyclic: { a: 1, self: '[circular]' }, big: '10' });
  });
});
