/** The no-op activity of the benchmark's baseline workflow (noop-workflow.ts). */
export function createNoopActivities() {
  return {
    async noop(input: { id: string; step: number }): Promise<{ id: string; step: number }> {
      return input;
    },
  };
}

export type NoopActivities = ReturnType<typeof createNoopActivities>;
