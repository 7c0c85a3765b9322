import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { undiciAgent, undiciGlobalDispatcher } from '../src/index.js';

// Splice loads undici's dispatcher modules rather than its index; they must be the very modules
// the index re-exports, so an engine's own `Agent` and `setGlobalDispatcher` are Splice's too.
describe('undici dispatchers loaded without the index', () => {
  const original = getGlobalDispatcher();
  afterEach(() => setGlobalDispatcher(original));

  it("undiciAgent() is undici's own Agent class", () => {
    expect(undiciAgent()).toBe(Agent);
    const agent = new (undiciAgent())({ connections: 1 });
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
});
