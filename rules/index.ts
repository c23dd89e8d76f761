/**
 * The rule registry, in display order. Add a rule: create rules/<id>.ts and rules/<id>.md,
 * import it here, write test/rules/<id>.test.ts (see ARCHITECTURE.md, "Adding a rule").
 */
import type { Rule } from '../engine/rule';
import nPlusOne from './n-plus-one';
import unboundedCollection from './unbounded-collection';
import poolConfig from './pool-config';
import clientPerRequest from './client-per-request';
import unboundedQuery from './unbounded-query';
import uncappedPageSize from './uncapped-page-size';
import regexPerCall from './regex-per-call';
import superLinearRegex from './super-linear-regex';
import missingRelationIndex from './missing-relation-index';
import redundantIndex from './redundant-index';
import unindexedQuery from './unindexed-query';

export const allRules: readonly Rule[] = [
  // queries
  nPlusOne,
  unindexedQuery,
  // pagination
  unboundedQuery,
  uncappedPageSize,
  // regex
  regexPerCall,
  superLinearRegex,
  // memory
  unboundedCollection,
  // connections
  poolConfig,
  clientPerRequest,
  // schema
  missingRelationIndex,
  redundantIndex,
];
