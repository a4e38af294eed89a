import { ValidationError, type Logger } from '@security-assistant/layer-common';
import { errorResponse } from '../../src/http/responses';

describe('errorResponse', () => {
  test('logs a rejection with its code and message under keys Powertools keeps', () => {
    // Given a logger that records its calls
    const info = jest.fn();
    const logger = { info, error: jest.fn() } as unknown as Logger;

    // When a validation error is answered
    const response = errorResponse(
      new ValidationError('INVALID_JOB_ID', '"x" is not a job id'),
      logger,
    );

    // Then the client gets it in the error shape, and the log line carries the reason under
    // keys other than Powertools' reserved `message` (which it would drop with a warning)
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 'INVALID_JOB_ID', message: '"x" is not a job id' },
    });
    expect(info).toHaveBeenCalledWith('request rejected', {
      error_code: 'INVALID_JOB_ID',
      error_message: '"x" is not a job id',
    });
    expect(Object.keys(info.mock.calls[0][1])).not.toContain('message');
  });
});
