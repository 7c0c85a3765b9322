import { MemoryStore, SpliceError, SpliceServices } from '@splice/core';
import Bottleneck from 'bottleneck';
import { ContainerModule } from 'inversify';
import { describe, expect, it } from 'vitest';
import { createRuntime, type LimiterFactory, RuntimeServices } from '../src/index.js';
import {
  acmeConnector,
  startTestServer,
  testOAuthStrategy,
  testTokenStrategy,
} from './support/fixtures.js';

const BASE = 'http://127.0.0.1:9';

describe('createRuntime', () => {
  it('fails at start-up with STRATEGY_MISSING naming connector, method, type and registered types', () => {
    let error: unknown;
    try {
      createRuntime({ connectors: [acmeConnector(BASE)], strategies: [testTokenStrategy()] });
    } catch (e) {
      error = e;
    }
    expect(SpliceError.is(error, 'STRATEGY_MISSING')).toBe(true);
    const { message, details } = error as SpliceError;
    expect(message).toContain('"acme"');
    expect(message).toContain('"acme-oauth"');
    expect(message).toContain('"test-oauth"');
    expect(message).toContain('registered: test-token');
    expect(details).toMatchObject({
      connectorId: 'acme',
      authMethodId: 'acme-oauth',
      type: 'test-oauth',
      registeredTypes: ['test-token'],
    });
  });

  it('refuses a connector no strategy can run before it makes the store or the dispatcher', () => {
    const made: string[] = [];
    const module = new ContainerModule(({ rebind }) => {
      rebind(SpliceServices.Store).toDynamicValue(() => {
        made.push('store');
        return new MemoryStore();
      });
      rebind(SpliceServices.Dispatcher).toDynamicValue(() => {
        made.push('dispatcher');
        return {};
      });
    });
    expect(() =>
      createRuntime({
        connectors: [acmeConnector(BASE)],
        strategies: [testTokenStrategy()],
        modules: [module],
      }),
    ).toThrow(expect.objectContaining({ code: 'STRATEGY_MISSING' }));
    expect(made).toEqual([]);
  });

  it('accepts strategies bound by an engine module', async () => {
    const module = new ContainerModule(({ bind }) => {
      bind(SpliceServices.Strategy).toConstantValue(testOAuthStrategy());
    });
    const runtime = createRuntime({
      connectors: [acmeConnector(BASE)],
      strategies: [testTokenStrategy()],
      modules: [module],
    });
    expect(runtime.listConnectors().map((c) => c.id)).toEqual(['acme']);
    await runtime.close();
  });

  it("lists connectors with each method's locked strategy variables merged in", async () => {
    const runtime = createRuntime({
      connectors: [acmeConnector(BASE)],
      strategies: [testOAuthStrategy(), testTokenStrategy()],
    });
    const [acme] = runtime.listConnectors();
    const token = acme?.authMethods.find((m) => m.id === 'acme-token');
    // The definition declares no variable for the token method: api_key comes from the strategy.
    expect(token?.variables.map((v) => [v.key, v.locked, v.secret])).toEqual([
      ['api_key', true, true],
    ]);
    await runtime.close();
  });

  it('lets a module rebind a runtime service such as the limiter factory', async () => {
    const ids: string[] = [];
    const module = new ContainerModule(({ rebind }) => {
      rebind<LimiterFactory>(RuntimeServices.LimiterFactory).toConstantValue((options) => {
        ids.push(options.id);
        return new Bottleneck(options);
      });
    });
    const api = await startTestServer();
    const store = new MemoryStore();
    const runtime = createRuntime({
      connectors: [acmeConnector(api.url, { rateLimit: { amount: 5, unit: 'second' } })],
      strategies: [testTokenStrategy(), testOAuthStrategy()],
      store,
      modules: [module],
    });
    const instance = await runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'acme-token',
      name: 'A',
      variables: { account: 'a1', api_key: 'key-abcd' },
    });
    // Listing is a read: it makes no limiter (with a Redis limiter factory, no Redis keys).
    await runtime.listEndpoints(instance);
    expect(ids).toEqual([]);
    await runtime.callEndpoint(instance, 'orders');
    await runtime.callEndpoint(instance, 'orders');
    expect(ids).toEqual([`splice:rate-limit:acme:${instance.id}`]);
    await runtime.close();
    await api.close();
  });

  it('rejects two strategies of the same type', () => {
    expect(() =>
      createRuntime({ connectors: [], strategies: [testTokenStrategy(), testTokenStrategy()] }),
    ).toThrow(/Two strategies are registered for type "test-token"/);
  });

  it('rejects duplicate connector ids with CONNECTOR_INVALID', () => {
    const strategies = [testTokenStrategy(), testOAuthStrategy()];
    expect(() =>
      createRuntime({ connectors: [acmeConnector(BASE), acmeConnector(BASE)], strategies }),
    ).toThrow(expect.objectContaining({ code: 'CONNECTOR_INVALID' }));
  });

  it('reports a method the strategy finds invalid as CONNECTOR_INVALID with the path', () => {
    const strategy = {
      ...testTokenStrategy(),
      validateMethod: () => [{ path: 'urls.verify', message: 'is required' }],
    };
    let error: unknown;
    try {
      createRuntime({
        connectors: [acmeConnector(BASE)],
        strategies: [strategy, testOAuthStrategy()],
      });
    } catch (e) {
      error = e;
    }
    expect(SpliceError.is(error, 'CONNECTOR_INVALID')).toBe(true);
    expect((error as Error).message).toContain('authMethods[1].urls.verify: is required');
  });

  it('refuses a plain-http endpoint URL on a public host at start-up with INSECURE_URL', () => {
    const connector = acmeConnector('http://api.acme.example');
    let error: unknown;
    try {
      createRuntime({
        connectors: [connector],
        strategies: [testTokenStrategy(), testOAuthStrategy()],
      });
    } catch (e) {
      error = e;
    }
    expect(SpliceError.is(error, 'INSECURE_URL')).toBe(true);
    expect((error as Error).message).toContain('endpoints[0].url');
  });

  it('checks its options at once with coded TypeErrors', () => {
    expect(() => createRuntime({} as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => createRuntime({ connectors: [], retry: { retries: -1 } })).toThrow(
      /retry.retries/,
    );
    const refused = (options: unknown, message: RegExp) => {
      let caught: unknown;
      try {
        createRuntime(options as never);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(TypeError);
      expect(caught).toMatchObject({
        code: 'INVALID_OPTION',
        message: expect.stringMatching(message),
      });
    };
    // A definition that did not go through parseConnector, or is not one at all.
    refused({ connectors: [{ id: 'x' }] }, /"connectors\[0\]" is not a parsed connector/);
    refused({ connectors: [null] }, /"connectors\[0\]"/);
    refused(
      {
        connectors: [{ id: 'raw', authMethods: [{ id: 'm', type: 'token' }], endpoints: [] }],
      },
      /parseConnector/,
    );
    refused({ connectors: [], conectors: [] }, /unknown option "conectors"/);
    for (const callbackUrl of [42, 'not a url', 'javascript:alert(1)', 'http://flows.example/cb']) {
      refused({ connectors: [], callbackUrl }, /"callbackUrl" must be an absolute https: URL/);
    }
    refused({ connectors: [], store: {} }, /"store" is not a Store \(no get, set/);
    // A store without one of the contract's methods (take: pending authorizations are taken).
    const withoutTake = Object.fromEntries(
      ['get', 'set', 'delete', 'keys', 'acquireLease', 'close'].map((name) => [name, () => {}]),
    );
    refused({ connectors: [], store: withoutTake }, /"store" is not a Store \(no take\)/);
    refused({ connectors: [], dispatcher: { foo: 1 } }, /"dispatcher" is not an undici Dispatcher/);
    // Loopback http is the one plain-http redirect URI allowed.
    expect(() =>
      createRuntime({ connectors: [], callbackUrl: 'http://127.0.0.1:3000/callback' }),
    ).not.toThrow();
  });

  it('refuses work after close with RUNTIME_CLOSED', async () => {
    const runtime = createRuntime({ connectors: [] });
    await runtime.close();
    await runtime.close();
    await expect(runtime.listInstances()).rejects.toMatchObject({ code: 'RUNTIME_CLOSED' });
    await expect(runtime.callEndpoint('x', 'y')).rejects.toMatchObject({ code: 'RUNTIME_CLOSED' });
  });
});
