import { PROCESSING_STAGES, isJobId, isTerminal, newJobId, nextStage } from '../../src';

describe('job ids', () => {
  it('have the job_<timestamp>_<suffix> form and carry the creation time', () => {
    const now = new Date('2026-01-02T03:04:05.678Z');
    const id = newJobId(now);
    expect(id).toMatch(/^job_1767323045678_[0-9a-f]{12}$/);
    expect(isJobId(id)).toBe(true);
  });

  it('do not collide when many are made in the same millisecond', () => {
    const now = new Date();
    const ids = new Set(Array.from({ length: 10_000 }, () => newJobId(now)));
    expect(ids.size).toBe(10_000);
  });

  it.each(['', 'job_123', 'job_1767323045678_XYZ', '../etc/passwd', 'job_1767323045678_abc'])(
    'rejects %p as a job id',
    (value) => {
      expect(isJobId(value)).toBe(false);
    },
  );
});

describe('stages', () => {
  it('run in the documented order', () => {
    expect(PROCESSING_STAGES).toEqual([
      'validation',
      'pdf_processing',
      'drawing_analysis',
      'result_generation',
    ]);
  });

  it('resume after the last completed stage', () => {
    expect(nextStage([])).toBe('validation');
    expect(nextStage(['validation', 'pdf_processing'])).toBe('drawing_analysis');
    expect(nextStage([...PROCESSING_STAGES])).toBeUndefined();
  });

  it('treat completed and failed as terminal', () => {
    expect(isTerminal('completed')).toBe(true);
    expect(isTerminal('failed')).toBe(true);
    expect(isTerminal('queued')).toBe(false);
    expect(isTerminal('processing')).toBe(false);
  });
});
