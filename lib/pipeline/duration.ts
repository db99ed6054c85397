const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The duration syntax: one or more `<number><unit>` parts, units `ms`, `s`, `m`, `h`, `d` (`90m`, `1h30m`, `2.5h`). */
export const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;

/**
 * Parses a Terraform-style duration string (`90m`, `2h`, `1h30m`, `45s`) into milliseconds, or `undefined` when the
 * text is not a duration. Zero is not a valid timeout and gives `undefined` too.
 */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== 'string' || !DURATION_PATTERN.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    total += Number(match[1]) * UNIT_MS[match[2]];
  }
  return total > 0 && Number.isFinite(total) ? Math.round(total) : undefined;
}

/** Renders milliseconds compactly for messages and plans: `1h30m`, `45s`, `250ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, seconds] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    if (rest >= seconds) {
      parts.push(`${Math.floor(rest / seconds)}${unit}`);
      rest %= seconds;
    }
  }
  return parts.join('');
}
