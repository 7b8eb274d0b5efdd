/** Every workflow type the worker registers (the single workflowsPath). */
export { enrollment } from './enrollment';
export { stop } from './stop';
