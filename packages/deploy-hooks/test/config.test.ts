import { ConfigError } from '@security-assistant/layer-common';
import {
  loadTargetFunctionArn,
  TARGET_FUNCTION_ALIAS_ARN,
  TARGET_FUNCTION_VERSION_ARN,
} from '../src/config';

const FUNCTION = 'arn:aws:lambda:eu-west-1:123456789012:function:security-assistant-dev-status';

describe('loadTargetFunctionArn', () => {
  it('returns a version ARN for TARGET_FUNCTION_VERSION_ARN', () => {
    const env = { TARGET_FUNCTION_VERSION_ARN: `${FUNCTION}:42` };
    expect(loadTargetFunctionArn(TARGET_FUNCTION_VERSION_ARN, env)).toBe(`${FUNCTION}:42`);
  });

  it('returns an alias ARN for TARGET_FUNCTION_ALIAS_ARN', () => {
    const env = { TARGET_FUNCTION_ALIAS_ARN: `${FUNCTION}:live` };
    expect(loadTargetFunctionArn(TARGET_FUNCTION_ALIAS_ARN, env)).toBe(`${FUNCTION}:live`);
  });

  it.each([
    ['missing', undefined],
    ['unqualified (would run $LATEST)', FUNCTION],
    ['$LATEST', `${FUNCTION}:$LATEST`],
    ['an alias instead of a version', `${FUNCTION}:live`],
    ['not an ARN', 'security-assistant-dev-status:3'],
  ])('fails with a ConfigError naming the variable when the version ARN is %s', (_, value) => {
    const load = () =>
      loadTargetFunctionArn(TARGET_FUNCTION_VERSION_ARN, { TARGET_FUNCTION_VERSION_ARN: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/TARGET_FUNCTION_VERSION_ARN must be a function version ARN \(given /);
  });

  it('fails when the alias ARN names a version', () => {
    expect(() =>
      loadTargetFunctionArn(TARGET_FUNCTION_ALIAS_ARN, {
        TARGET_FUNCTION_ALIAS_ARN: `${FUNCTION}:7`,
      }),
    ).toThrow(/TARGET_FUNCTION_ALIAS_ARN must be a function alias ARN \(given .*:7\)/);
  });
});
