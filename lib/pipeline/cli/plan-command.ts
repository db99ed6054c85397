import { type ExportSpec } from '../../model/export-spec';
import { type ImportSpec } from '../../model/import-spec';
import { type Plan } from '../plan/plan-types';
import { planPipeline } from '../plan/planner';
import { type ResolvedEntry } from '../resolved-pipeline';
import { renderPlan } from '../plan/render-plan';
import { observeLive } from '../run/observe-live';
import { StateStore } from '../state/state-store';
import { type CliIo } from './cli-io';
import { type CommandSeams } from './apply-command';
import { openClouds, type CloudOptions } from './cloud-session';
import { checkStateOwner, loadForCommand, stateFileFor } from './load-for-command';

/** Options of `imageport plan`. */
export interface PlanCommandOptions extends CloudOptions {
  /** State file. @default .imageport/state.json */
  readonly state?: string;
  /** Print the plan as JSON. @default false */
  readonly json?: boolean;
  /** Ask each cloud whether the calls would be allowed (AWS DryRun, the closest equivalent elsewhere). @default false */
  readonly checkPermissions?: boolean;
}

/**
 * `imageport plan FILE`: compares the file with the state and the clouds (describes recorded tasks, checks the
 * artifacts) and prints what `apply` would create, replace (and which field forces it), update, delete or resume.
 * Starts nothing. With `--check-permissions`, asks every cloud whether each task it would start is allowed.
 */
export async function planCommand(file: string, options: PlanCommandOptions, io: CliIo, seams: CommandSeams = {}): Promise<number> {
  const pipeline = await loadForCommand(file, io);
  const stateFile = stateFileFor(options.state, io);
  const state = await StateStore.read(stateFile, pipeline.name);
  checkStateOwner(state.pipeline, pipeline, stateFile);
  const session = await openClouds(pipeline, stateFile, options, seams.driverFactory);
  try {
    const live = await observeLive(state, session.clouds);
    const plan = planPipeline(pipeline, state, live);
    const permissions: { entry: string; cloud: string; allowed: boolean; verdict?: string; method: string; detail: string; pending?: string[] }[] = [];
    let denied = 0;
    if (options.checkPermissions) {
      for (const entry of [...pipeline.exports, ...pipeline.imports]) {
        const id = `${entry.kind}s.${entry.key}`;
        try {
          const driver = await session.clouds.driver(entry.cloud, entry.spec.region);
          const check = entry.kind === 'export' ? await driver.checkExportPermissions(entry.spec as ExportSpec) : await driver.checkImportPermissions(entry.spec as ImportSpec);
          const verdict = check.verdict ?? (check.allowed ? 'allowed' : 'denied');
          const pending = verdict === 'denied' ? pendingResources(plan, entry) : [];
          permissions.push({ entry: id, cloud: entry.cloud, ...check, verdict, ...(pending.length > 0 ? { pending } : {}) });
          if (verdict === 'denied' && pending.length === 0) denied++;
        } catch (error) {
          permissions.push({ entry: id, cloud: entry.cloud, allowed: false, verdict: 'denied', method: 'error', detail: (error as Error).message });
          denied++;
        }
      }
    }
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ plan, ...(options.checkPermissions ? { permissions } : {}) })}\n`);
    } else {
      io.stdout.write(renderPlan(plan));
      if (options.checkPermissions) {
        io.stdout.write('\nPermission checks (nothing was started):\n');
        for (const check of permissions) {
          const verdict = check.verdict === 'allowed' ? 'allowed' : check.verdict === 'unknown' ? 'unknown' : check.pending ? 'not yet' : 'DENIED ';
          const note = check.pending ? ` (apply creates ${check.pending.join(' and ')} first; check again after it)` : '';
          io.stdout.write(`  ${verdict} ${check.entry} (${check.cloud}, ${check.method}): ${check.detail}${note}\n`);
        }
      }
    }
    return denied > 0 ? 1 : 0;
  } finally {
    await session.close();
  }
}

/** The role and buckets of an entry that the plan creates or replaces (a check before they exist cannot pass). */
function pendingResources(plan: Plan, entry: ResolvedEntry): string[] {
  const keys = [
    ...(entry.roleKey !== undefined ? [['role', entry.roleKey]] : []),
    ...(entry.kind === 'export' ? (entry.bucketKey !== undefined ? [['bucket', entry.bucketKey]] : []) : entry.bucketKeys.map((key) => ['bucket', key])),
  ] as ['role' | 'bucket', string][];
  return keys
    .filter(([resource, key]) => plan.actions.some((action) => action.resource === resource && action.key === key && (action.kind === 'create' || action.kind === 'replace')))
    .map(([resource, key]) => `${resource}s.${key}`);
}
