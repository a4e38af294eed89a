import { ConfigError } from '@security-assistant/layer-common';
import { injectedFaultFrom } from '../../src/processor/settings';

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
