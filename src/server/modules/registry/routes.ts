import type { App } from '../../platform/http.js';
import { householdRoutes } from './routes-households.js';
import { itemRoutes } from './routes-items.js';
import { listRoutes } from './routes-lists.js';
import { personRoutes } from './routes-persons.js';

/**
 * Household and person registry routes: thin — validate, call one use case, present (ETag on versioned records).
 * One file per resource, registered here in this order (the order of the OpenAPI document).
 */
export async function registryRoutes(app: App) {
  householdRoutes(app);
  itemRoutes(app);
  personRoutes(app);
  listRoutes(app);
}
