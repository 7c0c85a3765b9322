// An unknown variable key for an OAuth 2 method: the keys a user sets lead the list the refusal
// gives, the protocol keys (advanced) follow, and the message names only a few of those.
import { MemoryStore, SpliceError } from '@splice/core';
import { createRuntime, type Runtime } from '@splice/endpoint-runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { OAUTH2_DEFAULT_VARIABLES, oauth2AuthorizationCode } from '../src/index.js';
import { CALLBACK, oauthConnector, variable } from './support.js';

let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

// Never contacted: the variables are refused before anything is sent.
const URLS = {
  authorise: 'https://auth.acme.example/authorize',
  token: 'https://auth.acme.example/token',
};

async function refusal(variables: Record<string, string>): Promise<SpliceError> {
  runtime = createRuntime({
    connectors: [oauthConnector(URLS, {}, [variable('account', { required: true })])],
    strategies: [oauth2AuthorizationCode()],
    store: new MemoryStore(),
    callbackUrl: CALLBACK,
  });
  const error = await runtime
    .beginAuthorization({ connectorId: 'acme', authMethodId: 'acme-oauth', name: 'A', variables })
    .catch((e: unknown) => e);
  expect(SpliceError.is(error, 'VARIABLE_INVALID')).toBe(true);
  return error as SpliceError;
}

describe('beginAuthorization with an unknown variable of an OAuth 2 method', () => {
  it('lists the keys a user sets first and the protocol keys after, naming only a few of those', async () => {
    const error = await refusal({ account: 'eu', clientid: 'c' });
    // The connector's variable, then the method's user keys in declared order, then the rest.
    const advanced = OAUTH2_DEFAULT_VARIABLES.filter((v) => v.advanced).map((v) => v.key);
    const user = ['account', 'client_id', 'client_secret', 'scope'];
    const declared = ['account', ...OAUTH2_DEFAULT_VARIABLES.map((v) => v.key)];
    const firstUser = declared.filter((key) => user.includes(key));
    expect(error.details).toMatchObject({
      unknown: ['clientid'],
      suggestions: { clientid: 'client_id' },
      settable: [...firstUser, ...advanced],
    });
    expect(error.message).toContain('"clientid" (did you mean "client_id"?)');
    expect(error.message).toContain(
      `(variables you can set here: ${firstUser.join(', ')}; advanced: ${advanced.slice(0, 3).join(', ')} and ${advanced.length - 3} more)`,
    );
    for (const key of advanced.slice(3)) expect(error.message).not.toContain(key);
  });

  it('never takes an unknown key named like an object property for a suggestion', async () => {
    const error = await refusal({ account: 'eu', toString: 'x', constructor: 'y' });
    expect(error.details['suggestions']).toEqual({});
    expect(error.message).toContain('has no variable "toString", "constructor" (');
    expect(error.message).not.toContain('native code');
  });
});
