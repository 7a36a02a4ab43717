import { MemoryCaseStore } from '../support/memory-case-store.js';
import { caseStoreContract } from './case-store.contract.js';

caseStoreContract('MemoryCaseStore', () => new MemoryCaseStore());
