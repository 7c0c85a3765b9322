export {
  describeStoreConformance,
  type StoreConformanceOptions,
} from './describeStoreConformance.js';
