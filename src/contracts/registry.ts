/**
 * Household and person registry (issue 3): request and response schemas shared by the server (validation, OpenAPI)
 * and the web client (types). ID numbers and bank accounts are always masked in views; the full values come only
 * from the audited reveal routes.
 */
export * from './registry-codes.js';
export { DeleteQuery, Versioned } from './registry-fields.js';
export * from './registry-history.js';
export * from './registry-households.js';
export * from './registry-items.js';
export * from './registry-persons.js';
export * from './registry-search.js';
