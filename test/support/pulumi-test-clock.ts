import { type Clock } from '../../emulator';

/**
 * Emulated time that a test steers, for an emulator started with `clock`: it runs at `speed` emulated ms per real ms
 * (tasks finish soon), or stands still after {@link freeze} (a task stays exactly where it is for as long as the
 * test needs: killed hosts, timed-out waits), and {@link advance} jumps it. Nothing depends on how busy the machine
 * is: a frozen task cannot finish behind the test's back.
 */
export class TestClock implements Clock {
  private base = Date.now();
  private runningSince: number | undefined;

  /** @param speed emulated ms per real ms while running */
  constructor(private speed = 600) {
    this.runningSince = performance.now();
  }

  /** Current emulated time, epoch ms. */
  public now(): number {
    return this.runningSince === undefined ? this.base : Math.floor(this.base + (performance.now() - this.runningSince) * this.speed);
  }

  /** Stops time: tasks keep their state until {@link run} or {@link advance}. */
  public freeze(): void {
    this.base = this.now();
    this.runningSince = undefined;
  }

  /** Lets time run again, at `speed` (default: the speed given at construction). */
  public run(speed = this.speed): void {
    this.base = this.now();
    this.speed = speed;
    this.runningSince = performance.now();
  }

  /** Jumps time forward by `ms`. */
  public advance(ms: number): void {
    this.base = this.now() + ms;
    if (this.runningSince !== undefined) this.runningSince = performance.now();
  }

  /** True while time stands still. */
  public get frozen(): boolean {
    return this.runningSince === undefined;
  }
}
