import { redact } from './host-settings';

interface PulumiLog {
  info(message: string, resource?: unknown, streamId?: number, ephemeral?: boolean): Promise<void>;
  warn(message: string, resource?: unknown, streamId?: number, ephemeral?: boolean): Promise<void>;
}

function pulumiLog(): PulumiLog {
  return (require('@pulumi/pulumi') as { log: PulumiLog }).log;
}

/**
 * Logs from the provider host through `pulumi.log` (to the engine when the host has one, else to the host's
 * stdout, which the engine shows). Every message is redacted of known credential values first.
 *
 * @param message the message
 * @param ephemeral true for progress lines that only update the status column
 */
export async function hostInfo(message: string, ephemeral = false): Promise<void> {
  await pulumiLog().info(redact(message), undefined, undefined, ephemeral);
}

/** Logs a warning from the provider host (redacted, like {@link hostInfo}). */
export async function hostWarn(message: string): Promise<void> {
  await pulumiLog().warn(redact(message));
}
