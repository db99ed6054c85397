import { type CloudDriver } from '../../lib/clouds/cloud-driver';
import { type PreflightReport } from '../../lib/model/preflight';
import { isTerminalState, type TaskKind, type TaskRef, type TaskSnapshot } from '../../lib/model/task';
import { hostInfo } from './host-log';
import { preflightError } from './spec-checks';
import { isNotFound } from './task-wait';

/** How many tokens a resource tries when the task a token finds cannot serve it (failed, or its result is gone). */
export const MAX_TOKEN_ATTEMPTS = 5;

/** Preflight problems about these subjects can come from a task this resource itself started (a running export of the image, the task quota). */
const TASK_DEPENDENT_SUBJECTS = new Set(['image', 'quota']);

/** How a resource starts its task: the tokens it tries, in order, and what each step asks the cloud. */
export interface TaskStartPlan {
  /** Export or import. */
  readonly kind: TaskKind;
  /** What is started, for messages (`export of ami-…`). */
  readonly subject: string;
  /** The client token of the `attempt`-th start (0 first). */
  readonly tokenFor: (attempt: number) => string;
  /** The cloud's preflight, told which token a running task of this resource would carry. */
  readonly preflight: (clientToken: string) => Promise<PreflightReport>;
  /** Starts the task with a token, or finds the one already started with it. */
  readonly start: (clientToken: string) => Promise<TaskRef>;
  /**
   * Why the task a start returned cannot serve this resource (`has ended failed`, `lost its artifact`), or
   * `undefined` when it can. Asked about every task, since a replayed one is not always recognisable (see
   * {@link startOrFind}); a task the call just created passes. `snapshot` is missing when the cloud does not show
   * the task.
   */
  readonly unusable: (ref: TaskRef, snapshot: TaskSnapshot | undefined) => Promise<string | undefined>;
}

/**
 * Preflight before a start. The cloud's checks hold a running task against the start (AWS: one export per AMI, the
 * conversion-task quota) unless it carries the token being started. After a crash during a later attempt, the task
 * that runs carries that attempt's token, not the first one: so when the first token's preflight reports only such
 * task-dependent problems (about the image or the quota), the later tokens are asked too, and one clean answer means
 * the running task is this resource's own, which the start loop will find again. Problems about the role, bucket or
 * source do not depend on any task and fail at once.
 *
 * @throws the first token's problems, when no token gives a clean preflight
 */
export async function preflightAnyToken(plan: TaskStartPlan): Promise<void> {
  const first = await plan.preflight(plan.tokenFor(0));
  if (first.problems.length === 0) return;
  if (first.problems.every((problem) => TASK_DEPENDENT_SUBJECTS.has(problem.subject))) {
    for (let attempt = 1; attempt < MAX_TOKEN_ATTEMPTS; attempt += 1) {
      const report = await plan.preflight(plan.tokenFor(attempt));
      if (report.problems.length === 0) {
        await hostInfo(`${plan.subject}: the running task the preflight saw carries this resource's token of attempt ${attempt + 1}: it is this resource's own`);
        return;
      }
    }
  }
  throw preflightError(plan.subject, first);
}

/**
 * Starts the resource's task, or finds the one an earlier run started, trying the plan's tokens in order: the task
 * a token gives is used unless {@link TaskStartPlan.unusable} says it cannot serve (it failed, or what it produced
 * is gone), and then the next token starts a new one. At the last token the task is taken as it is (its failure is
 * then reported by the wait).
 *
 * A replayed token is not always recognisable, which is why every task is checked: JD Cloud answers a replay with
 * the same task id and nothing else (its driver never sets `adopted`), and Alibaba Cloud reports a Finished import
 * whose image was deleted since as still running, waiting for the image. A task counts as found again (`adopted`
 * in the result, and in the log) when the driver says so, or when it has already ended right after the start call,
 * which a task that call created cannot have.
 *
 * @returns the task, with `adopted` set when it was found again, and the token it carries
 */
export async function startOrFind(driver: CloudDriver, plan: TaskStartPlan): Promise<{ ref: TaskRef; clientToken: string }> {
  for (let attempt = 0; ; attempt += 1) {
    const clientToken = plan.tokenFor(attempt);
    const ref = await plan.start(clientToken);
    if (attempt + 1 >= MAX_TOKEN_ATTEMPTS) return { ref, clientToken };
    let snapshot: TaskSnapshot | undefined;
    try {
      snapshot = await driver.describe(ref);
    } catch (error) {
      // Not shown (yet), or a passing error: a task just created is left to the wait, which retries; a found one is checked.
      if (!ref.adopted && !isNotFound(error)) return { ref, clientToken };
      if (ref.adopted && !isNotFound(error)) throw error;
    }
    const found = ref.adopted === true || (snapshot !== undefined && isTerminalState(snapshot.state));
    const why = await plan.unusable(ref, snapshot);
    if (why === undefined) return { ref: found ? { ...ref, adopted: true } : ref, clientToken };
    await hostInfo(`${plan.kind} task ${ref.taskId} found for this resource ${why}: starting a new one`);
  }
}

