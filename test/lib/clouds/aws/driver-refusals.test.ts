import test from 'ava';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { createAwsDriver } from '../../../../lib/clouds/aws';
import { CloudError } from '../../../../lib/model/cloud-error';

// The emulator accepts one key pair with every permission, so it never answers UnauthorizedOperation or AuthFailure.
// These tests point the driver at a canned EC2 endpoint that answers with AWS's exact error shape instead.

const credentials = { accessKeyId: 'AKIAREFUSALTESTKEY01', secretAccessKey: 'refusal/test/secret/key/0000000000000000' };

interface Canned {
  readonly url: string;
  readonly bodies: string[];
  close(): Promise<void>;
}

async function cannedEc2(status: number, code: string, message: string): Promise<Canned> {
  const bodies: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(status, { 'Content-Type': 'text/xml;charset=UTF-8', 'x-amzn-RequestId': 'canned-request-1' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>canned-request-1</RequestID></Response>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, bodies, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const exportSpec = { cloud: 'aws' as const, region: 'us-east-1', imageId: 'ami-0123456789abcdef0', format: 'VMDK', bucket: 'out-bucket' };

test('DryRun answered UnauthorizedOperation means not allowed, with AWS\'s detail', async (t) => {
  const server = await cannedEc2(403, 'UnauthorizedOperation', 'You are not authorized to perform this operation.');
  try {
    const driver = createAwsDriver({ region: 'us-east-1', endpoints: { ec2: server.url }, credentials });
    const check = await driver.checkExportPermissions(exportSpec);
    t.deepEqual(check, { allowed: false, verdict: 'denied', method: 'DryRun (ExportImage)', detail: 'UnauthorizedOperation: You are not authorized to perform this operation.' });
    t.regex(server.bodies[0], /Action=ExportImage/);
    t.regex(server.bodies[0], /DryRun=true/);
    // No imageport token and no tags (the SDK fills a random ClientToken of its own: ExportImage's is an idempotencyToken).
    t.notRegex(server.bodies[0], /TagSpecification|ClientToken=ip-/);
    const importCheck = await driver.checkImportPermissions({ cloud: 'aws', region: 'us-east-1', disks: [{ bucket: 'in-bucket', key: 'd.vmdk', format: 'VMDK' }] });
    t.false(importCheck.allowed);
    t.regex(server.bodies[1], /Action=ImportImage/);
  } finally {
    await server.close();
  }
});

test('DryRun answered with another error is an error, not a yes or no', async (t) => {
  const server = await cannedEc2(400, 'InvalidAMIID.NotFound', "The image id '[ami-0123456789abcdef0]' does not exist");
  try {
    const driver = createAwsDriver({ region: 'us-east-1', endpoints: { ec2: server.url }, credentials });
    const error = await t.throwsAsync(driver.checkExportPermissions(exportSpec), { instanceOf: CloudError });
    t.is(error?.kind, 'not-found');
    t.is(error?.code, 'InvalidAMIID.NotFound');
    t.is(error?.requestId, 'canned-request-1');
  } finally {
    await server.close();
  }
});

test('rejects refused credentials as an auth error whose message carries no credential', async (t) => {
  const server = await cannedEc2(401, 'AuthFailure', `AWS was not able to validate the provided access credentials (${credentials.accessKeyId}, ${credentials.secretAccessKey})`);
  try {
    const driver = createAwsDriver({ region: 'us-east-1', endpoints: { ec2: server.url }, credentials }, { maxAttempts: 1 });
    const error = await t.throwsAsync(driver.startExport(exportSpec, 'ip-auth'), { instanceOf: CloudError });
    t.is(error?.kind, 'auth');
    t.is(error?.code, 'AuthFailure');
    t.false(error!.message.includes(credentials.accessKeyId));
    t.false(error!.message.includes(credentials.secretAccessKey));
    t.false(JSON.stringify({ ...error, message: error!.message }).includes(credentials.secretAccessKey));
  } finally {
    await server.close();
  }
});

test('throttling is retried by the SDK and surfaces as a retryable throttling error', async (t) => {
  const server = await cannedEc2(503, 'RequestLimitExceeded', 'Request limit exceeded.');
  try {
    const driver = createAwsDriver({ region: 'us-east-1', endpoints: { ec2: server.url }, credentials }, { maxAttempts: 2 });
    const error = await t.throwsAsync(
      driver.describe({ cloud: 'aws', region: 'us-east-1', kind: 'export', taskId: 'export-ami-0123456789abcdef0', bucket: 'out-bucket', format: 'vmdk' }),
      { instanceOf: CloudError },
    );
    t.is(error?.kind, 'throttling');
    t.true(error?.retryable);
    t.is(server.bodies.length, 2, 'the SDK retried once');
  } finally {
    await server.close();
  }
});
