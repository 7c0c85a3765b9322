import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { UndiciAgent, undiciGlobalDispatcher } from '../src/index.js';

// Splice loads undici's Agent module rather than its index; it must be the very module the index
// re-exports, so an engine's own `Agent` and `setGlobalDispatcher` are Splice's too.
describe('undici dispatchers loaded without the index', () => {
  const original = getGlobalDispatcher();
  const slots = globalThis as Record<symbol, unknown>;
  const V1 = Symbol.for('undici.globalDispatcher.1');
  const V2 = Symbol.for('undici.globalDispatcher.2');
  afterEach(() => setGlobalDispatcher(original));

  it("UndiciAgent is undici's own Agent class", () => {
    expect(UndiciAgent).toBe(Agent);
    const agent = new UndiciAgent({ connections: 1 });
    expect(agent).toBeInstanceOf(Agent);
    return agent.close();
  });

  it('undiciGlobalDispatcher() is getGlobalDispatcher(), following setGlobalDispatcher', async () => {
    expect(undiciGlobalDispatcher()).toBe(getGlobalDispatcher());
    const mine = new Agent();
    setGlobalDispatcher(mine);
    expect(undiciGlobalDispatcher()).toBe(mine);
    await mine.close();
  });

  it("leaves alone an older undici's dispatcher, as Node's built-in fetch sets it", () => {
    // Node's fetch (undici 6) fills the version-1 slot only; its Agent refuses Splice's handlers.
    const legacy = { dispatch: () => false };
    slots[V2] = undefined;
    slots[V1] = legacy;
    const used = undiciGlobalDispatcher();
    expect(used).not.toBe(legacy);
    expect(used).toBeInstanceOf(Agent);
    expect(undiciGlobalDispatcher()).toBe(used);
  });
});
