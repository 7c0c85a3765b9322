export type {
  SharedLimiterFactory,
  StoreProcessModule,
} from '../multiProcess/StoreProcessModule.js';
export {
  type AuthorizedInstance,
  type AuthorizeOptions,
  createStrategyHarness,
  type StrategyHarness,
  type StrategyHarnessOptions,
} from './createStrategyHarness.js';
export {
  describeMultiProcessStoreConformance,
  type MultiProcessStoreConformanceOptions,
} from './describeMultiProcessStoreConformance.js';
export {
  describeRuntimeOnStoreConformance,
  type RuntimeOnStoreConformanceOptions,
} from './describeRuntimeOnStoreConformance.js';
export {
  describeStoreConformance,
  type StoreConformanceOptions,
} from './describeStoreConformance.js';
export {
  type ConformanceOptions,
  type ConformanceSetup,
  describeStrategyConformance,
} from './describeStrategyConformance.js';
