// Provider error dialects, through the public runtime against the provider simulator. Reduced
// reports: GitHub answers a dead refresh token with HTTP 200 {"error":"bad_refresh_token"}; some
// APIs report an expired access token inside a 200 body; Slack's exchange says token_type "bot".
import type { Instance } from '@splice/core';
import { afterEach, describe, expect, it } from 'vitest';
import { rejection } from './support/outcome.js';
import {
  type SimulatedProvider,
  type SimulatedProviderInput,
  startSimulatedProvider,
} from './support/simulatedProvider.js';

let world: SimulatedProvider | undefined;

async function start(input: SimulatedProviderInput = {}): Promise<SimulatedProvider> {
  world = await startSimulatedProvider(input);
  return world;
}

afterEach(async () => {
  await world?.close();
  world = undefined;
});

interface Echo {
  readonly headers: Record<string, string>;
}

/** Kills the instance's grant in the provider's dialect, with its access token expired. */
function killGrant(sim: SimulatedProvider['sim']): void {
  sim.revokeRefreshTokens();
  sim.expireAccessTokens();
  sim.resetCounts();
}

describe('dead grants (dialect.invalidGrant)', () => {
  async function expectMarkedOnce(w: SimulatedProvider, instance: Instance): Promise<void> {
    const events: Instance[] = [];
    w.runtime.on('reauthorizationRequired', (marked) => {
      events.push(marked);
    });
    const first = await rejection(w.runtime.callEndpoint(instance, 'get'));
    expect(first.code).toBe('REAUTHORIZATION_REQUIRED');
    expect(w.sim.counts.token).toBe(1); // the one refresh the provider refused
    expect((await w.runtime.getInstance(instance.id))?.status).toBe('reauthorization_required');
    for (let i = 0; i < 3; i += 1) {
      expect((await rejection(w.runtime.callEndpoint(instance, 'get'))).code).toBe(
        'REAUTHORIZATION_REQUIRED',
      );
    }
    expect(w.sim.counts.token).toBe(1);
    expect(w.sim.counts.api).toBe(1);
    expect(events.map((e) => e.id)).toEqual([instance.id]);
  }

  it("GitHub's HTTP 200 bad_refresh_token marks the instance and fires the event once (a default)", async () => {
    const w = await start();
    const instance = await w.add();
    w.sim.setQuirks({ invalidGrantError: 'bad_refresh_token', errorsWithStatus200: true });
    killGrant(w.sim);
    await expectMarkedOnce(w, instance);
    const refresh = w.sim.requests.find((r) => r.grant === 'refresh_token');
    expect(refresh?.status).toBe(200);
  });

  it('an error code the method declares is a dead grant too', async () => {
    const w = await start({ method: { dialect: { invalidGrant: { errors: ['token_dead'] } } } });
    const instance = await w.add();
    w.sim.setQuirks({ invalidGrantError: 'token_dead' });
    killGrant(w.sim);
    await expectMarkedOnce(w, instance);
  });

  it('an undeclared error code is not: the instance stays active and the error is shown', async () => {
    const w = await start();
    const instance = await w.add();
    w.sim.setQuirks({ invalidGrantError: 'token_dead' });
    killGrant(w.sim);
    const error = await rejection(w.runtime.callEndpoint(instance, 'get'));
    expect(error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(error.details['oauthError']).toBe('token_dead');
    expect((await w.runtime.getInstance(instance.id))?.status).toBe('active');
  });

  // HubSpot's answer to a dead refresh token, as its legacy OAuth endpoints word it: no "error".
  const hubspotDead = {
    status: 'BAD_REFRESH_TOKEN',
    message: 'missing or unknown refresh token',
    correlationId: '6a1c5a86-3f3b-4f52-9a55-2b8d3e9b5f01',
  };

  it("a body the method's invalidGrant.body rules match is a dead grant, without an OAuth error", async () => {
    const w = await start({
      method: {
        dialect: { invalidGrant: { body: [{ path: 'status', equals: ['BAD_REFRESH_TOKEN'] }] } },
      },
    });
    const instance = await w.add();
    w.sim.setQuirks({ invalidGrantResponse: { status: 400, body: hubspotDead } });
    killGrant(w.sim);
    await expectMarkedOnce(w, instance);
    expect(w.sim.requests.find((r) => r.grant === 'refresh_token')?.status).toBe(400);
  });

  it('without a rule, that body is a failed refresh that names no body member: the instance stays active', async () => {
    const w = await start();
    const instance = await w.add();
    w.sim.setQuirks({ invalidGrantResponse: { status: 400, body: hubspotDead } });
    killGrant(w.sim);
    const error = await rejection(w.runtime.callEndpoint(instance, 'get'));
    expect(error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(error.details['invalidGrantRule']).toBeUndefined();
    expect(error.message).not.toContain('BAD_REFRESH_TOKEN');
    expect((await w.runtime.getInstance(instance.id))?.status).toBe('active');
  });

  it('a rule that does not match leaves the refusal as it is', async () => {
    const w = await start({
      method: {
        dialect: { invalidGrant: { body: [{ path: 'status', equals: ['BAD_REFRESH_TOKEN'] }] } },
      },
    });
    const instance = await w.add();
    w.sim.setQuirks({
      invalidGrantResponse: { status: 400, body: { ...hubspotDead, status: 'BAD_CLIENT_ID' } },
    });
    killGrant(w.sim);
    const error = await rejection(w.runtime.callEndpoint(instance, 'get'));
    expect(error.code).toBe('TOKEN_REQUEST_FAILED');
    expect((await w.runtime.getInstance(instance.id))?.status).toBe('active');
  });

  it('a token answer is never a refusal, even when a body rule would match it', async () => {
    const w = await start({
      method: { dialect: { invalidGrant: { body: [{ path: 'token_type', equals: ['Bearer'] }] } } },
    });
    const instance = await w.add();
    w.sim.expireAccessTokens();
    w.sim.resetCounts();
    expect((await w.runtime.callEndpoint(instance, 'get')).status).toBe(200);
    expect(w.sim.counts.refreshToken).toBe(1);
    expect((await w.runtime.getInstance(instance.id))?.status).toBe('active');
  });

  it('a status the method declares is a dead grant whatever the body', async () => {
    const w = await start({ method: { dialect: { invalidGrant: { statuses: [400] } } } });
    const instance = await w.add();
    w.sim.setQuirks({ invalidGrantError: 'token_dead' });
    killGrant(w.sim);
    await expectMarkedOnce(w, instance);
  });
});

describe('expired access tokens reported in a body (dialect.invalidToken)', () => {
  it('refreshes once and replays once when a 200 body says the token expired', async () => {
    const w = await start({
      quirks: { expiredTokenResponse: '200-error' },
      method: {
        dialect: { invalidToken: { body: [{ path: 'error', equals: ['invalid_token'] }] } },
      },
    });
    const instance = await w.add();
    w.sim.expireAccessTokens();
    w.sim.resetCounts();
    const { status, data } = await w.runtime.callEndpoint<{ path: string }>(instance, 'get');
    expect(status).toBe(200);
    expect(data.path).toBe('/api/files');
    expect(w.sim.counts.refreshToken).toBe(1);
    expect(w.sim.counts.api).toBe(2); // the refused call and its one replay
    expect(w.sim.counts.apiRejected).toBe(1);
  });

  it('never loops: a replay that is refused again is returned as it is', async () => {
    const w = await start({
      quirks: { expiredTokenResponse: '200-error', accessTokenTtlSeconds: 0 },
      method: {
        dialect: { invalidToken: { body: [{ path: 'error', equals: ['invalid_token'] }] } },
        // Issued tokens are dead at once; without an expiry the runtime does not refresh ahead.
        variables: [{ key: 'response_expires_in_key', default: 'never_sent' }],
      },
    });
    const instance = await w.add();
    w.sim.resetCounts();
    const { status, data } = await w.runtime.callEndpoint<{ error: string }>(instance, 'get');
    expect(status).toBe(200);
    expect(data.error).toBe('invalid_token');
    expect(w.sim.counts.refreshToken).toBe(1);
    expect(w.sim.counts.api).toBe(2);
  });

  it('without a body rule, a 200 body is data: no refresh', async () => {
    const w = await start({ quirks: { expiredTokenResponse: '200-error' } });
    const instance = await w.add();
    w.sim.expireAccessTokens();
    w.sim.resetCounts();
    const { data } = await w.runtime.callEndpoint<{ error: string }>(instance, 'get');
    expect(data.error).toBe('invalid_token');
    expect(w.sim.counts.refreshToken).toBe(0);
    expect(w.sim.counts.api).toBe(1);
  });
});

describe('token types (dialect.bearerTokenTypes)', () => {
  it('adds a Slack-style instance whose token_type is "bot" and sends it as Bearer', async () => {
    const w = await start({ quirks: { tokenType: 'bot' } });
    const instance = await w.add();
    expect(instance.status).toBe('active');
    const { data } = await w.runtime.callEndpoint<Echo>(instance, 'get');
    expect(data.headers['authorization']).toMatch(/^Bearer at_/);
    expect(w.sim.counts.apiRejected).toBe(0);
  });

  it('refuses a token type outside the list with the strategy apply, and names the fix', async () => {
    const w = await start({
      quirks: { tokenType: 'bot' },
      method: { dialect: { bearerTokenTypes: ['bearer'] } },
    });
    const error = await rejection(w.add());
    expect(error.code).toBe('TOKEN_RESPONSE_INVALID');
    expect(error.message).toContain('dialect.bearerTokenTypes');
  });

  it('accepts any token type when the definition writes its own apply, even a Bearer one', async () => {
    const w = await start({
      quirks: { tokenType: 'N_A' },
      method: { apply: { headers: { Authorization: 'Bearer {{access_token}}' } } },
    });
    const instance = await w.add();
    const { data } = await w.runtime.callEndpoint<Echo>(instance, 'get');
    expect(data.headers['authorization']).toMatch(/^Bearer at_/);
  });
});
