import test from 'ava';
import { EventEmitter } from 'node:events';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { runEmulatorCommand, type EmulatorBanner } from '../../emulator/cli';

test.serial('runEmulatorCommand: prints one JSON line with endpoints and credentials, serves, and stops on SIGTERM', async (t) => {
  const signals = new EventEmitter();
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  let sawLine!: () => void;
  const printed = new Promise<void>((resolve) => (sawLine = resolve));
  process.stdout.write = ((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    sawLine();
    return true;
  }) as typeof process.stdout.write;
  t.teardown(() => {
    process.stdout.write = write;
  });
  const running = runEmulatorCommand({ speed: '600' }, signals);
  await printed;
  process.stdout.write = write;
  t.is(lines.length, 1);
  t.true(lines[0].endsWith('\n'));
  const banner = JSON.parse(lines[0]) as EmulatorBanner;
  t.is(banner.speed, 600);
  t.is(banner.env.AWS_ENDPOINT_URL_STS, banner.endpoints.aws.sts);
  const sts = new STSClient({ region: banner.regions.aws.default, endpoint: banner.endpoints.aws.sts, credentials: banner.credentials.aws });
  t.is((await sts.send(new GetCallerIdentityCommand({}))).Account, banner.accounts.aws);
  // The restricted key pairs are in the banner too, and the AWS one signs in as the read-only user.
  t.deepEqual(Object.keys(banner.restrictedCredentials).sort(), ['alicloud', 'aws', 'jdcloud']);
  const reader = new STSClient({ region: banner.regions.aws.default, endpoint: banner.endpoints.aws.sts, credentials: banner.restrictedCredentials.aws });
  t.regex((await reader.send(new GetCallerIdentityCommand({}))).Arn ?? '', /:user\/imageport-emulator-reader$/);
  signals.emit('SIGTERM');
  await running;
  t.is(signals.listenerCount('SIGTERM') + signals.listenerCount('SIGINT'), 0, 'no listener is left behind');
  await t.throwsAsync(sts.send(new GetCallerIdentityCommand({})), undefined, 'the servers are closed');
});

test('rejects a --speed that is not a positive number', async (t) => {
  await t.throwsAsync(runEmulatorCommand({ speed: 'fast' }, new EventEmitter()), { message: /--speed "fast" must be a positive number/ });
  await t.throwsAsync(runEmulatorCommand({ speed: '-2' }, new EventEmitter()), { message: /--speed "-2"/ });
});
