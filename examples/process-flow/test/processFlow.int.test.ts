import { describe, expect, it } from 'vitest';
import { runProcessFlowExample } from '../src/runProcessFlowExample.js';

describe('process-flow example', () => {
  it('runs a flow, pauses on REAUTHORIZATION_REQUIRED and resumes after the user reconnects', async () => {
    const lines: string[] = [];
    const result = await runProcessFlowExample({ log: (l) => lines.push(l) });

    // The connector shape offers only what the OAuth 2 method is enabled on.
    expect(result.shape.endpoints.map((e) => e.id)).toEqual([
      'list-products',
      'get-product',
      'list-customers',
      'create-customer',
    ]);

    expect(result.firstRun.status).toBe('completed');
    if (result.firstRun.status !== 'completed') return;
    expect(result.firstRun.outputs['fullName']).toBe('Ada Lovelace');
    // The transform's output went into the send endpoint's body template.
    expect(result.firstRun.outputs['created']).toMatchObject({
      method: 'POST',
      path: '/northwind/customers',
      body: { name: 'Ada Lovelace' },
    });

    expect(result.pausedRun).toMatchObject({
      status: 'paused',
      reason: 'reauthorization_required',
      stepName: 'customers',
      stepIndex: 0,
    });
    expect(result.events).toHaveLength(1);
    expect(result.events[0]?.code).toBe('REAUTHORIZATION_REQUIRED');
    if (result.pausedRun.status === 'paused') {
      expect(result.events[0]?.instanceId).toBe(result.pausedRun.instanceId);
    }

    expect(result.reconnectedStatus).toBe('active');
    expect(result.resumedRun.status).toBe('completed');
    if (result.resumedRun.status === 'completed') {
      expect(result.resumedRun.outputs['created']).toMatchObject({
        body: { name: 'Grace Hopper' },
      });
    }
  });

  it('fails a step whose endpoint the instance does not offer, before any request', async () => {
    const { createFlowEngine } = await import('../src/flow/createFlowEngine.js');
    const { createRuntime } = await import('@splice/endpoint-runtime');
    // Any request at all would be recorded here: the runtime's gating must stop the step first.
    const sent: string[] = [];
    // (`dispatch` is what Splice sends through: a recorder on `request` would never see a call.)
    const dispatcher = {
      dispatch: (options: { path: string }) => {
        sent.push(options.path);
        throw new Error('nothing may be sent');
      },
      close: async () => {},
    };
    const runtime = createRuntime({
      connectors: [
        {
          id: 'shop',
          name: 'Shop',
          version: '1',
          variables: [],
          authMethods: [
            {
              id: 'key',
              name: 'Key',
              type: 'none',
              timeoutSeconds: 5,
              variables: [],
              urls: {},
              request: { query: {}, headers: {}, body: {} },
            },
            {
              id: 'other',
              name: 'Other',
              type: 'none',
              timeoutSeconds: 5,
              variables: [],
              urls: {},
              request: { query: {}, headers: {}, body: {} },
            },
          ],
          endpoints: [
            {
              id: 'list-orders',
              name: 'Orders',
              direction: 'receive',
              method: 'GET',
              url: 'https://api.shop.example/orders',
              dataType: 'json',
              bodyFormat: 'json',
              timeoutSeconds: 5,
              variables: [],
              request: { query: {}, headers: {}, body: {} },
              authMethods: ['other'],
            },
          ],
        },
      ],
      strategies: [
        {
          type: 'none',
          interactive: false,
          variables: [],
          apply: { headers: {}, query: {} },
          authenticate: async (ctx) => ({ values: {}, obtainedAt: ctx.now() }),
          getCredentials: async (ctx) => ({ values: {}, obtainedAt: ctx.now() }),
        },
      ],
      dispatcher: dispatcher as never,
    });
    const instance = await runtime.addInstance({
      connectorId: 'shop',
      authMethodId: 'key',
      name: 'k',
    });
    const engine = createFlowEngine({ runtime });
    const run = await engine.run({
      id: 'f',
      steps: [
        { kind: 'connector', name: 'orders', instanceId: instance.id, endpointId: 'list-orders' },
      ],
    });
    expect(run.status).toBe('failed');
    if (run.status === 'failed') expect(run.error).toMatchObject({ code: 'ENDPOINT_NOT_ENABLED' });
    expect(sent).toEqual([]);
    await runtime.close();
  });
});
