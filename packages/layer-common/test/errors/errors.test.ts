import { NotFoundError, PermanentJobError, PlatformError, ValidationError } from '../../src';

describe('platform errors', () => {
  it('carry a stable code, their class name and the cause', () => {
    const cause = new Error('boom');
    const error = new ValidationError('MISSING_FIELD', 'client_name is required', { cause });
    expect(error).toBeInstanceOf(PlatformError);
    expect(error.name).toBe('ValidationError');
    expect(error.code).toBe('MISSING_FIELD');
    expect(error.cause).toBe(cause);
  });

  it('are told apart with instanceof', () => {
    const errors = [new NotFoundError('no job'), new PermanentJobError('PDF_ENCRYPTED', 'locked')];
    expect(errors.map((e) => e instanceof NotFoundError)).toEqual([true, false]);
    expect(errors.map((e) => e.code)).toEqual(['NOT_FOUND', 'PDF_ENCRYPTED']);
  });
});
