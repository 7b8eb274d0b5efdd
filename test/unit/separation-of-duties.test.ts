import { separationBreach, taskRole, type CaseParts } from '../../domain/separation-of-duties';

const counter = { id: 'clerk-1', role: 'acceptor' };
const acceptor = { id: 'acceptor-2', role: 'acceptor' };
const reviewer = { id: 'reviewer-3', role: 'reviewer' };
const none: CaseParts = { decided: [], work: [] };

describe('separation of duties (R-4, 10.2)', () => {
  test('a task goes to its own role, else to the reviewer when a reviewer is awaited, else to the acceptor', () => {
    expect(taskRole({ role: 'supervisor', waitingOn: 'staff' })).toBe('supervisor');
    expect(taskRole({ waitingOn: 'reviewer' })).toBe('reviewer');
    expect(taskRole({ waitingOn: 'staff' })).toBe('acceptor');
    expect(taskRole({ waitingOn: null })).toBe('acceptor');
  });

  test('when someone of another role decides a task, it is refused as the wrong role', () => {
    expect(separationBreach({ step: 'review', role: 'reviewer' }, acceptor, none)).toEqual({
      code: 'separation.wrong_role',
      role: 'reviewer',
    });
  });

  test('when the person who received the case reviews it, it is refused', () => {
    const received = { ...counter, role: 'reviewer' };
    expect(separationBreach({ step: 'review', role: 'reviewer' }, received, { ...none, receivedBy: counter })).toEqual({
      code: 'separation.acceptor_cannot_review',
    });
  });

  test('when the person who accepted the case reviews it, it is refused; another reviewer may decide', () => {
    const parts: CaseParts = { decided: [{ step: 'acceptance', actor: { id: 'same', role: 'acceptor' } }], work: [] };
    expect(separationBreach({ step: 'review', role: 'reviewer' }, { id: 'same', role: 'reviewer' }, parts)).toEqual({
      code: 'separation.acceptor_cannot_review',
    });
    expect(separationBreach({ step: 'review', role: 'reviewer' }, reviewer, parts)).toBeUndefined();
  });

  test('the acceptor of a case may decide another acceptor task of it', () => {
    const parts: CaseParts = { decided: [{ step: 'acceptance', actor: acceptor }], work: [] };
    expect(separationBreach({ step: 'sheet_correction', role: 'acceptor' }, acceptor, parts)).toBeUndefined();
  });

  test('when a collective-review member took any other part in the case, the earliest part is named', () => {
    const member = { id: 'm-1', role: 'collective_reviewer' };
    const parts: CaseParts = {
      receivedBy: { id: 'm-1', role: 'acceptor' },
      decided: [{ step: 'review', actor: { id: 'm-1', role: 'reviewer' } }],
      work: [],
    };
    expect(separationBreach({ step: 'collective_review', role: 'collective_reviewer' }, member, parts)).toEqual({
      code: 'separation.collective_member_conflict',
      part: 'received',
    });
    expect(
      separationBreach({ step: 'collective_review', role: 'collective_reviewer' }, member, {
        ...parts,
        receivedBy: counter,
      }),
    ).toEqual({
      code: 'separation.collective_member_conflict',
      part: 'review',
    });
  });

  test('votes of the same collective review are not an earlier part', () => {
    const member = { id: 'm-2', role: 'collective_reviewer' };
    const parts: CaseParts = { decided: [{ step: 'collective_review', actor: member }], work: [] };
    expect(separationBreach({ step: 'collective_review', role: 'collective_reviewer' }, member, parts)).toBeUndefined();
  });

  test('when a person confirms work they did themselves (a decided step or other work), it is refused', () => {
    const byDecision: CaseParts = { decided: [{ step: 'file_review', actor: reviewer }], work: [] };
    expect(
      separationBreach({ step: 'review', role: 'reviewer', confirms: ['file_review'] }, reviewer, byDecision),
    ).toEqual({ code: 'separation.own_work', work: 'file_review' });
    const byWork: CaseParts = { decided: [], work: [{ kind: 'file_correction', actor: reviewer }] };
    expect(
      separationBreach(
        { step: 'pre_review_followup', role: 'reviewer', confirms: ['file_correction'] },
        reviewer,
        byWork,
      ),
    ).toEqual({
      code: 'separation.own_work',
      work: 'file_correction',
    });
    expect(
      separationBreach(
        { step: 'pre_review_followup', role: 'reviewer', confirms: ['file_correction'] },
        { id: 'other', role: 'reviewer' },
        byWork,
      ),
    ).toBeUndefined();
  });
});
