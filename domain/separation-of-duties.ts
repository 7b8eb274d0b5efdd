/**
 * Separation of duties for every procedure (R-4, 10.2): the person who decides a step holds the
 * role of its task; whoever received or accepted a case does not review it; the members of a
 * collective review took no other part in the case; nobody confirms their own work. Pure: the
 * workflow gives the case's history and words the refusal (workflows/shared/staff-steps.ts).
 */

/** A person acting on a case, as the assertion names them. */
export interface Person {
  id: string;
  role: string;
}

/** A staff task: the step, the role whose inbox gets it, and the work it confirms. */
export interface SeparationTask {
  step: string;
  role: string;
  /** Steps (or kinds of other work, e.g. 'file_correction') whose author may not decide this step. */
  confirms?: readonly string[];
}

/** Who did what on the case so far. */
export interface CaseParts {
  /** The counter staff member who received the case, if any. */
  receivedBy?: Person;
  /** Every staff member who decided a step, in order. */
  decided: ReadonlyArray<{ step: string; actor: Person }>;
  /** Other work done on the case by a person (e.g. a file correction). */
  work: ReadonlyArray<{ kind: string; actor: Person }>;
}

/** Why a person may not decide a task (`part`: their earlier step; `work`: the work they did). */
export type SeparationBreach =
  | { code: 'separation.wrong_role'; role: string }
  | { code: 'separation.collective_member_conflict'; part: string }
  | { code: 'separation.acceptor_cannot_review' }
  | { code: 'separation.own_work'; work: string };

/** The role whose inbox gets a task and the only role that may decide it: by default acceptor, or reviewer when a reviewer is awaited. */
export function taskRole(task: { role?: string; waitingOn: string | null }): string {
  return task.role ?? (task.waitingOn === 'reviewer' ? 'reviewer' : 'acceptor');
}

/** Roles that review (审核, 集体会审): someone who received or accepted the case is not one of them. */
const REVIEWING_ROLES: readonly string[] = ['reviewer', 'collective_reviewer'];

/** The first rule `actor` would break by deciding `task`, or undefined when they may decide it. */
export function separationBreach(task: SeparationTask, actor: Person, parts: CaseParts): SeparationBreach | undefined {
  if (actor.role !== task.role) return { code: 'separation.wrong_role', role: task.role };
  const received = parts.receivedBy ? [{ step: 'received', actor: parts.receivedBy }] : [];
  if (task.role === 'collective_reviewer') {
    const prior = [...received, ...parts.decided.filter((d) => d.step !== task.step)].find(
      (d) => d.actor.id === actor.id,
    );
    if (prior) return { code: 'separation.collective_member_conflict', part: prior.step };
  } else if (REVIEWING_ROLES.includes(task.role)) {
    const counterSide = [...received, ...parts.decided.filter((d) => d.step === 'acceptance')];
    if (counterSide.some((d) => d.actor.id === actor.id)) return { code: 'separation.acceptor_cannot_review' };
  }
  for (const kind of task.confirms ?? []) {
    const authors = [...parts.decided.filter((d) => d.step === kind), ...parts.work.filter((w) => w.kind === kind)];
    if (authors.some((w) => w.actor.id === actor.id)) return { code: 'separation.own_work', work: kind };
  }
  return undefined;
}
