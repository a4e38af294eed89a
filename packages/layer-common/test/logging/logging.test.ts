import { createLogger, setCorrelationId } from '../../src';

describe('logger', () => {
  it('writes structured JSON lines that carry the service and correlation id', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const original = process.env.POWERTOOLS_LOG_LEVEL;
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    try {
      const logger = createLogger('processor');
      setCorrelationId(logger, 'job_1_abc');
      logger.info('stage done', { stage: 'validation' });
    } finally {
      process.env.POWERTOOLS_LOG_LEVEL = original;
      spy.mockRestore();
    }
    const record = JSON.parse(lines.join('').trim().split('\n').pop()!);
    expect(record).toMatchObject({
      level: 'INFO',
      message: 'stage done',
      service: 'processor',
      correlation_id: 'job_1_abc',
      stage: 'validation',
    });
  });
});
