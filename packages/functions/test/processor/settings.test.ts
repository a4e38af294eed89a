import { ConfigError } from '@security-assistant/layer-common';
import { injectedFaultFrom, retryDelayFor, retryDelaysFrom } from '../../src/processor/settings';

describe('injected faults (tests only)', () => {
  test('are off unless a client name is configured', () => {
    expect(injectedFaultFrom({})).toBeUndefined();
    expect(injectedFaultFrom({ TEST_FAULT_STAGE: 'validation' })).toBeUndefined();
  });

  test('default to the drawing_analysis stage', () => {
    expect(injectedFaultFrom({ TEST_FAULT_CLIENT_NAME: 'chaos' })).toEqual({
      clientName: 'chaos',
      stage: 'drawing_analysis',
    });
  });

  test('reject an unknown stage and say what was given', () => {
    const env = { TEST_FAULT_CLIENT_NAME: 'chaos', TEST_FAULT_STAGE: 'painting' };
    expect(() => injectedFaultFrom(env)).toThrow(ConfigError);
    expect(() => injectedFaultFrom(env)).toThrow(
      /TEST_FAULT_STAGE must be one of .* \(given painting\)/,
    );
  });
});

describe('RETRY_DELAYS_SECONDS', () => {
  test('defaults to 10 s, 1 min, 5 min, the last repeating', () => {
    const delays = retryDelaysFrom({});
    expect(delays).toEqual([10, 60, 300]);
    expect([1, 2, 3, 7].map((n) => retryDelayFor(delays, n))).toEqual([10, 60, 300, 300]);
    expect(retryDelayFor(delays, NaN)).toBe(10);
  });

  test('reads whole seconds, and refuses anything else', () => {
    expect(retryDelaysFrom({ RETRY_DELAYS_SECONDS: '0, 1,1' })).toEqual([0, 1, 1]);
    for (const bad of ['', 'x', '1,-1', '1.5', '43201']) {
      expect(() => retryDelaysFrom({ RETRY_DELAYS_SECONDS: bad })).toThrow(/RETRY_DELAYS_SECONDS/);
    }
  });
});
