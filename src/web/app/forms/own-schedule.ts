import type { Step } from '../../../domain/policy.js';

/**
 * A customer's own schedule as a person types it, one step a line:
 *   `-3 email friendly`, `14 email firm late-fee cc`, `21 email firm text statement`,
 *   `30 task Call the finance director`,
 *   `20 call firm`, `30 letter final`, `60 flag agency_referral`. Days count from the due date. The policy's step schema checks the result.
 */
export function stepsFromLines(typed: string): { steps: Array<Record<string, unknown>>; problems: string[] } {
  const steps: Array<Record<string, unknown>> = [];
  const problems: string[] = [];
  for (const [index, raw] of typed.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const match = /^(-?\d{1,3})\s+(email|call|letter|task|flag)\s+(.+)$/.exec(line);
    if (!match) {
      problems.push(
        `ownSchedule line ${index + 1}: write "<day> email <tone>", "<day> call <tone>", "<day> letter <tone>", "<day> task <what to do>" or "<day> flag <kind>"`,
      );
      continue;
    }
    const [, day = '0', action = 'email', rest = ''] = match;
    const words = rest.split(/\s+/);
    const key = `own-${steps.length + 1}`;
    const base = {
      key,
      offsetDays: Number(day),
      action,
      copyEscalationContacts: false,
      requiresApproval: false,
      lateFeeNotice: false,
    };
    if (action === 'call' || action === 'letter')
      steps.push({ ...base, tone: words[0], template: words[0], requiresApproval: false });
    else if (action === 'email')
      steps.push({
        ...base,
        tone: words[0],
        template: words[0],
        copyEscalationContacts: words.includes('cc'),
        lateFeeNotice: words.includes('late-fee'),
        requiresApproval: words.includes('approve'),
        ...(words.includes('text') ? { via: words.includes('email') ? 'both' : 'text' } : {}),
        ...(words.includes('statement') ? { attachStatement: true } : {}),
      });
    else if (action === 'task') steps.push({ ...base, tone: 'neutral', template: 'none', task: rest });
    else steps.push({ ...base, tone: 'final', template: 'none', requiresApproval: true, flags: words });
  }
  return { steps, problems };
}

export function linesFromSteps(steps: Step[] | undefined): string {
  return (steps ?? [])
    .map((step) => {
      if (step.action === 'task') return `${step.offsetDays} task ${step.task ?? ''}`;
      if (step.action === 'flag') return `${step.offsetDays} flag ${(step.flags ?? []).join(' ')}`;
      if (step.action === 'call' || step.action === 'letter')
        return `${step.offsetDays} ${step.action} ${step.tone}`;
      const extras = [
        step.lateFeeNotice ? 'late-fee' : '',
        step.copyEscalationContacts ? 'cc' : '',
        step.requiresApproval ? 'approve' : '',
        step.via === 'text' ? 'text' : step.via === 'both' ? 'text email' : '',
        step.attachStatement ? 'statement' : '',
      ]
        .filter(Boolean)
        .join(' ');
      return `${step.offsetDays} email ${step.tone}${extras ? ` ${extras}` : ''}`;
    })
    .join('\n');
}
