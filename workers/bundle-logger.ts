/** A logger for bundleWorkflowCode that keeps webpack's progress quiet and passes its warnings and errors to stderr. */
export const quietBundleLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`[bundle] ${message}\n`),
  error: (message: string) => process.stderr.write(`[bundle] ${message}\n`),
};
