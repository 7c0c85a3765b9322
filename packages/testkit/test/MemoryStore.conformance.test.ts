import { randomBytes } from 'node:crypto';
import { MemoryStore } from '@splice/core';
import { describeStoreConformance } from '../src/conformance/index.js';

describeStoreConformance('MemoryStore', () => new MemoryStore());

describeStoreConformance(
  'MemoryStore, encrypted',
  () => new MemoryStore({ encryption: { keys: [{ id: 'k1', key: randomBytes(32) }] } }),
  { encrypted: true },
);
