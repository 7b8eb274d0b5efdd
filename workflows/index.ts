/** Every workflow type the worker registers (the single workflowsPath). */
export { enrollment } from './enrollment';
export { stop } from './stop';
export { transferIn } from './transfer-in';
export { transferOut } from './transfer-out';
