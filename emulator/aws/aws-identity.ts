import { type AccessKeyPair } from '../types';

/** The emulated AWS account. */
export const AWS_ACCOUNT_ID = '123456789012';

/** Another account: owner of the "shared with you" catalog AMI. */
export const AWS_OTHER_ACCOUNT_ID = '210987654321';

/** The only key pair the emulated AWS accepts (fixed, so a restarted emulator keeps working with the same environment). */
export const AWS_CREDENTIALS: AccessKeyPair = {
  accessKeyId: 'AKIAIMAGEPORTLOCAL01',
  secretAccessKey: 'ImagePortEmulatorSecretAccessKey00000001',
};

/** IAM user the key belongs to (STS GetCallerIdentity). */
export const AWS_CALLER_USER = 'imageport-emulator';

/** Stable unique id of that user. */
export const AWS_CALLER_USER_ID = 'AIDAIMAGEPORTEMULATOR';

/**
 * The restricted key pair: an IAM user that may read (EC2 `Describe*`, IAM `Get*`/`List*`, STS, S3 reads) but not
 * start, cancel or change anything. Its other calls get AWS's authorization errors (EC2 `UnauthorizedOperation`,
 * IAM `AccessDenied`, S3 `AccessDenied`), so "not allowed" answers can be tested.
 */
export const AWS_RESTRICTED_CREDENTIALS: AccessKeyPair = {
  accessKeyId: 'AKIAIMAGEPORTREADER1',
  secretAccessKey: 'ImagePortEmulatorReadOnlySecretKey000001',
};

/** IAM user the restricted key belongs to. */
export const AWS_RESTRICTED_USER = 'imageport-emulator-reader';

/** Stable unique id of that user. */
export const AWS_RESTRICTED_USER_ID = 'AIDAIMAGEPORTREADER';

/** Who signed a request: the account's all-powerful key, or the restricted (read-only) one. */
export type AwsPrincipal = 'admin' | 'restricted';

/** The principal of an access key id (undefined for an unknown key). */
export function awsPrincipalOf(accessKeyId: string): AwsPrincipal | undefined {
  if (accessKeyId === AWS_CREDENTIALS.accessKeyId) return 'admin';
  if (accessKeyId === AWS_RESTRICTED_CREDENTIALS.accessKeyId) return 'restricted';
  return undefined;
}

/** The secret of a known access key id. */
export function awsSecretFor(accessKeyId: string): string | undefined {
  const principal = awsPrincipalOf(accessKeyId);
  if (principal === 'admin') return AWS_CREDENTIALS.secretAccessKey;
  if (principal === 'restricted') return AWS_RESTRICTED_CREDENTIALS.secretAccessKey;
  return undefined;
}

/** ARN of a principal's IAM user (STS GetCallerIdentity, authorization messages). */
export function awsPrincipalArn(principal: AwsPrincipal): string {
  return `arn:aws:iam::${AWS_ACCOUNT_ID}:user/${principal === 'admin' ? AWS_CALLER_USER : AWS_RESTRICTED_USER}`;
}
