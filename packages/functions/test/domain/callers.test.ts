import { callerOf, callersFrom, mayRead } from '../../src/domain/callers';

const callers = callersFrom(
  JSON.stringify([
    { name: 'team-a', keyIds: ['k1', 'k1-next'] },
    { name: 'pipeline', principals: ['arn:aws:iam::111122223333:role/ci/deployer'] },
    { name: 'auditor', principals: ['arn:aws:iam::111122223333:user/alice'], admin: true },
  ]),
);

describe('callers', () => {
  test('a request is its API key id’s caller; both keys of a rotation act for it', () => {
    expect(callerOf({ apiKeyId: 'k1' }, callers)).toEqual({
      caller: callers[0],
      submittedBy: 'apikey:k1',
    });
    expect(callerOf({ apiKeyId: 'k1-next' }, callers)?.caller.name).toBe('team-a');
    expect(callerOf({ apiKeyId: 'k2' }, callers)).toBeUndefined();
    expect(callerOf(undefined, callers)).toBeUndefined();
  });

  test('under IAM, an assumed role’s session is its role, and a user is itself', () => {
    const session = 'arn:aws:sts::111122223333:assumed-role/deployer/gh-1234';

    expect(callerOf({ userArn: session }, callers)).toEqual({
      caller: callers[1],
      submittedBy: `iam:${session}`,
    });
    expect(
      callerOf({ userArn: 'arn:aws:iam::111122223333:user/alice' }, callers)?.caller.name,
    ).toBe('auditor');
    // same role name in another account is someone else
    expect(
      callerOf({ userArn: 'arn:aws:sts::999988887777:assumed-role/deployer/x' }, callers),
    ).toBeUndefined();
  });

  test('a caller reads its own jobs; only an admin reads the ownerless ones', () => {
    expect(mayRead(callers[0], { owner: 'team-a' })).toBe(true);
    expect(mayRead(callers[0], { owner: 'pipeline' })).toBe(false);
    expect(mayRead(callers[0], {})).toBe(false);
    expect(mayRead(callers[2], {})).toBe(true);
    expect(mayRead(callers[2], { owner: 'team-a' })).toBe(false);
  });

  test.each([
    [undefined, /must name the callers/],
    ['{', /JSON list/],
    ['[]', /non-empty/],
    ['[{"name":"Team A"}]', /lower-case letters/],
    ['[{"name":"a","clients":"Acme"}]', /lists of strings/],
  ])('refuses CALLERS=%s', (json, message) => {
    expect(() => callersFrom(json)).toThrow(message);
  });
});
