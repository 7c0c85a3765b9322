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
    const calls: string[] = [];
    const runtime = {
      on() {},
      async listEndpoints() {
        return [{ id: 'list-products' }];
      },
      async callEndpoint(_instance: string, endpointId: string) {
        calls.push(endpointId);
        return { status: 200, headers: {}, body: '', data: null };
      },
    };
    const engine = createFlowEngine({ runtime: runtime as never });
    const run = await engine.run({
      id: 'f',
      steps: [{ kind: 'connector', name: 'orders', instanceId: 'i1', endpointId: 'list-orders' }],
    });
    expect(run.status).toBe('failed');
    if (run.status === 'failed') expect(run.error).toMatchObject({ code: 'ENDPOINT_NOT_ENABLED' });
    expect(calls).toEqual([]);
  });
});
