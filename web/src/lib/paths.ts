/** Where a group lives in the client: the shared route table's builder (shared/routes.ts). */
export { groupPath } from '../../../shared/routes.js';
