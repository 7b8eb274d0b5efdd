/**
 * The registered workflow types, as types only: `Workflows` is the module the worker registers
 * (workflows/index.ts, the single workflowsPath) and `WorkflowType` the union of its names, so a
 * starter that names a workflow (api/services/workflow-starts.ts, the schedules, the tests) fails
 * to compile when that workflow is renamed or removed. The names are the exported function names
 * and are the types recorded in every history: rename a workflow only with a new type.
 */
import type * as registered from './index';

export type Workflows = typeof registered;
export type WorkflowType = keyof Workflows;
