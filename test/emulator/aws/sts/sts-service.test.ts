import test from 'ava';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startAwsKit } from '../aws-test-kit';

test('sts: GetCallerIdentity answers the account, an IAM user ARN and the request id', async (t) => {
  const kit = await startAwsKit();
  t.teardown(() => kit.stop());
  const identity = await kit.sts.send(new GetCallerIdentityCommand({}));
  t.is(identity.Account, kit.emulator.accounts.aws);
  t.regex(identity.Account ?? '', /^\d{12}$/);
  t.is(identity.Arn, `arn:aws:iam::${kit.emulator.accounts.aws}:user/imageport-emulator`);
  t.truthy(identity.UserId);
  t.truthy(identity.$metadata.requestId);
});
