// Run with: npx tsx --conditions=@splice/source examples/process-flow/src/main.ts
import { runProcessFlowExample } from './runProcessFlowExample.js';

const result = await runProcessFlowExample();
// The example API echoes requests, credentials included: print only what the flow produced.
if (result.resumedRun.status === 'completed') {
  const created = result.resumedRun.outputs['created'] as { body?: unknown } | undefined;
  console.log(`customer created: ${JSON.stringify(created?.body)}`);
} else {
  console.log(`run ${result.resumedRun.status}`);
}
