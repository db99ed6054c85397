import { type Plan, type PlanAction, type PlanActionKind, summarizePlan } from './plan-types';

/** The Terraform symbol of each action kind. */
export const ACTION_SYMBOLS: Readonly<Record<PlanActionKind, string>> = {
  create: '+',
  replace: '-/+',
  update: '~',
  delete: '-',
  resume: '>',
  none: ' ',
};

const ACTION_WORDS: Readonly<Record<PlanActionKind, string>> = {
  create: 'will be created',
  replace: 'must be replaced',
  update: 'will be updated in place',
  delete: 'will be deleted',
  resume: 'is still running: apply waits for it',
  none: 'is up to date',
};

/**
 * Renders a plan the way `terraform plan` does: one block per changing resource, its symbol (`+`, `-/+`, `~`, `-`,
 * and `>` for a task apply resumes), why (the field that forces a replacement), and a summary line.
 */
export function renderPlan(plan: Plan): string {
  const changing = plan.actions.filter((action) => action.kind !== 'none');
  if (changing.length === 0) return 'No changes. The clouds match the pipeline.\n';
  const lines: string[] = ['imageport will perform the following actions:', ''];
  for (const action of changing) lines.push(...renderAction(action), '');
  lines.push(renderSummary(plan));
  return `${lines.join('\n')}\n`;
}

/** `Plan: 3 to add, 1 to change, 1 to replace, 0 to destroy, 0 to resume.` */
export function renderSummary(plan: Plan): string {
  const counts = summarizePlan(plan);
  return `Plan: ${counts.create} to add, ${counts.update} to change, ${counts.replace} to replace, ${counts.delete} to destroy, ${counts.resume} to resume.`;
}

function renderAction(action: PlanAction): string[] {
  const symbol = ACTION_SYMBOLS[action.kind];
  const lines = [`  # ${action.resource}s.${action.key} (${action.cloud}) ${ACTION_WORDS[action.kind]}`, `${symbol.padStart(5)} ${action.resource} "${action.key}": ${action.summary}`];
  for (const reason of action.reasons) lines.push(`        ${reason}`);
  return lines;
}
