// undici's Agent module, imported by its path (`undiciDispatchers.ts`): the class undici's index
// re-exports as `Agent`.
declare module 'undici/lib/dispatcher/agent.js' {
  import type { Agent } from 'undici';

  const AgentClass: typeof Agent;
  export default AgentClass;
}
