import { type Image } from '@aws-sdk/client-ec2';
import { type PreflightProblem } from '../../model/preflight';

/** Largest volume VM Export takes, in GiB ("VMs with volumes larger than 1 TiB are not supported"). */
export const AWS_EXPORT_MAX_VOLUME_GIB = 1024;

/** What {@link checkExportableImage} knows besides the image. */
export interface ImageCheckContext {
  /** The AMI id asked for. */
  readonly imageId: string;
  /** The region, for messages. */
  readonly region: string;
  /** The caller's account id, to recognise AMIs shared from another account. @default - unknown: not checked */
  readonly accountId?: string;
}

/**
 * Checks an AMI against VM Export's documented refusals. Pure.
 *
 * `image` is the DescribeImages result, or `undefined` when the AMI does not exist (in this region, for this
 * caller). Codes: `image.missing`, `image.state`, `image.encrypted`, `image.marketplace`, `image.third-party`,
 * `image.shared`, `image.volume-too-large`.
 */
export function checkExportableImage(image: Image | undefined, context: ImageCheckContext): PreflightProblem[] {
  const { imageId, region } = context;
  if (image === undefined) {
    return [
      {
        subject: 'image',
        code: 'image.missing',
        message: `AMI ${imageId} does not exist in ${region} (or is not visible to this account)`,
        fix: `check the id and the region: AMIs are regional; copy the AMI to ${region} with CopyImage or export from its own region`,
      },
    ];
  }
  const problems: PreflightProblem[] = [];
  if (image.State !== 'available') {
    problems.push({
      subject: 'image',
      code: 'image.state',
      message: `AMI ${imageId} is "${image.State ?? 'unknown'}", not "available"`,
      fix: image.State === 'pending' ? 'wait until the AMI is available' : 'export an available AMI',
    });
  }
  const encrypted = (image.BlockDeviceMappings ?? []).filter((m) => m.Ebs?.Encrypted === true).map((m) => m.DeviceName ?? '?');
  if (encrypted.length > 0) {
    problems.push({
      subject: 'image',
      code: 'image.encrypted',
      message: `AMI ${imageId} has encrypted EBS snapshots (${encrypted.join(', ')}): VM Export cannot export encrypted volumes`,
      fix: 'copy the AMI unencrypted (CopyImage without encryption, from an instance launched with unencrypted volumes) and export the copy',
    });
  }
  if ((image.ProductCodes ?? []).length > 0) {
    const codes = (image.ProductCodes ?? []).map((p) => `${p.ProductCodeType ?? 'product'} ${p.ProductCodeId ?? '?'}`).join(', ');
    problems.push({
      subject: 'image',
      code: 'image.marketplace',
      message: `AMI ${imageId} carries product codes (${codes}): images derived from AWS Marketplace are not exportable`,
      fix: "build the image from the vendor's own non-Marketplace AMI or from your own installation media",
    });
  }
  // DescribeImages says `windows` on the wire although the SDK types it `Windows`.
  const isWindows = String(image.Platform ?? '').toLowerCase() === 'windows';
  const platform = image.PlatformDetails ?? (isWindows ? 'Windows' : undefined);
  if (isWindows || (platform !== undefined && platform !== 'Linux/UNIX')) {
    problems.push({
      subject: 'image',
      code: 'image.third-party',
      message: `AMI ${imageId} runs "${platform ?? 'Windows'}" (usage operation ${image.UsageOperation ?? 'unknown'}): VM Export cannot export images with third-party software provided by AWS, such as Windows or SQL Server`,
      fix: 'export an image built from your own (BYOL) installation, or a plain Linux/UNIX image',
    });
  }
  if (context.accountId !== undefined && image.OwnerId !== undefined && image.OwnerId !== context.accountId) {
    problems.push({
      subject: 'image',
      code: 'image.shared',
      message: `AMI ${imageId} belongs to account ${image.OwnerId}, not to ${context.accountId}: AMIs shared from another account are not exportable`,
      fix: 'copy the AMI into this account (CopyImage) and export the copy',
    });
  }
  const large = (image.BlockDeviceMappings ?? [])
    .filter((m) => (m.Ebs?.VolumeSize ?? 0) > AWS_EXPORT_MAX_VOLUME_GIB)
    .map((m) => `${m.DeviceName ?? '?'} ${m.Ebs?.VolumeSize} GiB`);
  if (large.length > 0) {
    problems.push({
      subject: 'image',
      code: 'image.volume-too-large',
      message: `AMI ${imageId} has volumes over 1 TiB (${large.join(', ')}): VM Export does not support volumes larger than 1 TiB`,
      fix: 'shrink the volumes below 1 TiB and create a new AMI',
    });
  }
  return problems;
}
