import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { renderPlan } from '../plan/render-plan';
import { type RunEvent, type RunResult } from '../run/run-events';
import { type OutputStream } from './output-stream';
import { describeEvent, renderRunSummary, type RunRenderer } from './run-renderer';

/**
 * Progress bars on a terminal (`cli-progress`): one bar per running task with its progress and the cloud's status;
 * other events are printed above the bars.
 */
export class ProgressRenderer implements RunRenderer {
  private readonly bars = new Map<string, SingleBar>();
  private readonly multibar: MultiBar;
  private readonly width: number;
  private stopped = false;

  /** @param out a terminal stream @param entryWidth width of the entry column (the longest entry id) */
  constructor(
    private readonly out: OutputStream,
    entryWidth = 20,
  ) {
    this.width = entryWidth;
    this.multibar = new MultiBar(
      {
        stream: out as unknown as NodeJS.WritableStream,
        format: ' {entry} |{bar}| {percentage}% {status}',
        barsize: 24,
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
        forceRedraw: true,
        noTTYOutput: out.isTTY !== true,
        autopadding: true,
      },
      Presets.shades_classic,
    );
  }

  public event(event: RunEvent): void {
    this.handle(event);
    // Draw now rather than on cli-progress's timer: events arrive at the polling pace, and the log lines they
    // carry appear in order with the bars. Only once a bar exists: cli-progress's update() schedules its redraw
    // timer unconditionally, and a timer started before the first bar would never be cleared.
    if (!this.stopped && this.bars.size > 0) this.multibar.update();
  }

  private handle(event: RunEvent): void {
    if (event.type === 'plan') {
      this.log(renderPlan(event.plan));
      return;
    }
    if (event.type === 'task-start') {
      this.bar(event.entry).update({ status: `${event.how} ${event.taskId}` });
    }
    if (event.type === 'task-progress') {
      const bar = this.bar(event.entry);
      const status = `${event.rawStatus}${event.message ? `: ${event.message}` : ''}`;
      bar.update(event.state === 'succeeded' ? 100 : (event.progress ?? 0), { status });
      return;
    }
    if (event.type === 'task-end' && this.bars.has(event.entry)) {
      const bar = this.bar(event.entry);
      bar.update(event.outcome === 'succeeded' ? 100 : bar.getProgress() * 100, { status: event.outcome });
      bar.stop();
    }
    const line = describeEvent(event);
    if (line !== undefined && event.type !== 'task-start') this.log(`${line}\n`);
  }

  public result(result: RunResult): void {
    this.close();
    this.out.write(renderRunSummary(result));
  }

  public close(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.multibar.stop();
  }

  private log(text: string): void {
    const line = text.endsWith('\n') ? text : `${text}\n`;
    // Before the first bar (the plan, roles, buckets) there is nothing to redraw: write straight through.
    if (this.bars.size === 0 || this.stopped) this.out.write(line);
    else this.multibar.log(line);
  }

  private bar(entry: string): SingleBar {
    let bar = this.bars.get(entry);
    if (!bar) {
      bar = this.multibar.create(100, 0, { entry: entry.padEnd(this.width), status: '' });
      this.bars.set(entry, bar);
    }
    return bar;
  }
}
