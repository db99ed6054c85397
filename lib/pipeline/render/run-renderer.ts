import { renderPlan } from '../plan/render-plan';
import { type ArtifactRow, type RunEvent, type RunResult } from '../run/run-events';
import { formatBytes, renderTable, type OutputStream } from './output-stream';

/** Turns a run's events into output. */
export interface RunRenderer {
  /** One event. */
  event(event: RunEvent): void;
  /** The run's result (the closing table, or the last JSON line). */
  result(result: RunResult): void;
  /** Stops any live output (progress bars). */
  close(): void;
}

/** The closing table of `apply`: where every artifact landed. */
export function renderArtifactTable(rows: readonly ArtifactRow[]): string {
  if (rows.length === 0) return 'No artifacts.\n';
  return renderTable(
    ['ENTRY', 'CLOUD', 'URI', 'FORMAT', 'SIZE'],
    rows.map((row) => [row.entry, row.cloud, row.uri, row.format, formatBytes(row.sizeBytes)]),
  );
}

/** The text a run ends with: failures, problems, the artifact table and a summary line. */
export function renderRunSummary(result: RunResult): string {
  const lines: string[] = [];
  const failed = result.entries.filter((entry) => entry.outcome !== 'succeeded');
  if (result.command === 'apply') {
    lines.push('', renderArtifactTable(result.artifacts).trimEnd());
  }
  for (const entry of failed) lines.push(`${entry.outcome.toUpperCase()}: ${entry.entry}${entry.error ? `: ${entry.error}` : ''}`);
  for (const problem of result.problems) lines.push(`PROBLEM: ${problem}`);
  const succeeded = result.entries.length - failed.length;
  const verb = result.command === 'apply' ? 'succeeded' : 'removed';
  lines.push(
    result.ok
      ? `${result.command === 'apply' ? 'Apply' : 'Destroy'} complete: ${succeeded} ${verb}.`
      : `${result.command === 'apply' ? 'Apply' : 'Destroy'} finished with problems: ${succeeded} ${verb}, ${failed.length} not, ${result.problems.length} other problem(s).`,
  );
  return `${lines.join('\n')}\n`;
}

/** Describes a non-progress event on one line (shared by the plain and the TTY renderer). */
export function describeEvent(event: RunEvent): string | undefined {
  switch (event.type) {
    case 'resource':
      return `${event.resource}s.${event.key} (${event.cloud}): ${event.action}${event.detail ? ` ${event.detail}` : ''}`;
    case 'task-start':
      return `${event.entry} (${event.cloud}): ${event.how} ${event.kind} task ${event.taskId}`;
    case 'task-retry':
      return `${event.entry}: describe failed (${event.error}); retry ${event.attempt} in ${Math.round(event.delayMs)} ms`;
    case 'task-stalled':
      return `${event.entry}: no change for ${Math.round(event.stalledForMs / 1000)} s`;
    case 'task-end': {
      const where = event.artifacts?.map((a) => a.uri).join(', ') ?? event.imageId ?? '';
      if (event.destroyed) return `${event.entry} (${event.cloud}): destroyed`;
      return `${event.entry} (${event.cloud}): ${event.outcome}${where ? ` ${where}` : ''}${event.error ? `: ${event.error}` : ''}`;
    }
    case 'log':
      return event.message;
    default:
      return undefined;
  }
}

/**
 * Plain line logs, for when stdout is not a terminal (CI logs, pipes): a timestamped line per event, a progress
 * line only when a task's status, progress or message changed.
 */
export class PlainRenderer implements RunRenderer {
  private readonly last = new Map<string, string>();

  /** @param out where to write @param clock time of each line */
  constructor(
    private readonly out: OutputStream,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  public event(event: RunEvent): void {
    if (event.type === 'plan') {
      this.out.write(renderPlan(event.plan));
      return;
    }
    let line: string | undefined;
    if (event.type === 'task-progress') {
      const text = `${event.state}${event.progress !== undefined ? ` ${event.progress}%` : ''} (${event.rawStatus}${event.message ? `: ${event.message}` : ''})`;
      if (this.last.get(event.entry) === text) return;
      this.last.set(event.entry, text);
      line = `${event.entry} (${event.cloud}): ${text}`;
    } else {
      line = describeEvent(event);
    }
    if (line !== undefined) this.out.write(`${this.clock().toISOString().slice(11, 19)} ${line}\n`);
  }

  public result(result: RunResult): void {
    this.out.write(renderRunSummary(result));
  }

  public close(): void {}
}

/** `--json`: one JSON object per line for every event, and a last line with the result (`"type": "result"`). */
export class JsonRenderer implements RunRenderer {
  /** @param out where to write */
  constructor(private readonly out: OutputStream) {}

  public event(event: RunEvent): void {
    this.out.write(`${JSON.stringify(event)}\n`);
  }

  public result(result: RunResult): void {
    this.out.write(`${JSON.stringify({ type: 'result', ...result })}\n`);
  }

  public close(): void {}
}
