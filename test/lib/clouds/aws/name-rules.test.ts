import test from 'ava';
import { IssueCollector } from '../../../../lib/clouds/aws/issue-collector';
import { checkBucketName, matchAnyCase } from '../../../../lib/clouds/aws/name-rules';
import { redactUrl } from '../../../../lib/clouds/aws/disk-rules';

function bucketCodes(name: string): string[] {
  const issues = new IssueCollector('test');
  checkBucketName(issues, 'bucket', name);
  return issues.issues.map((i) => i.code);
}

test('accepts bucket names S3 accepts', (t) => {
  for (const name of ['abc', 'my-bucket.exports', 'a'.repeat(63), '1bucket2', 'docexamplebucket1']) {
    t.deepEqual(bucketCodes(name), [], name);
  }
});

test('rejects bucket names S3 refuses, one issue per broken rule', (t) => {
  t.deepEqual(bucketCodes('ab'), ['bucket-name.length']);
  t.deepEqual(bucketCodes('a'.repeat(64)), ['bucket-name.length']);
  t.deepEqual(bucketCodes('My_Bucket'), ['bucket-name.characters', 'bucket-name.edges']);
  t.deepEqual(bucketCodes('-bucket'), ['bucket-name.edges']);
  t.deepEqual(bucketCodes('bucket.'), ['bucket-name.edges']);
  t.deepEqual(bucketCodes('my..bucket'), ['bucket-name.adjacent-periods']);
  t.deepEqual(bucketCodes('192.168.5.4'), ['bucket-name.ip-address']);
  t.deepEqual(bucketCodes('xn--bucket'), ['bucket-name.reserved-prefix']);
  t.deepEqual(bucketCodes('sthree-bucket'), ['bucket-name.reserved-prefix']);
  t.deepEqual(bucketCodes('amzn-s3-demo-bucket'), ['bucket-name.reserved-prefix']);
  t.deepEqual(bucketCodes('bucket-s3alias'), ['bucket-name.reserved-suffix']);
  t.deepEqual(bucketCodes('bucket--ol-s3'), ['bucket-name.reserved-suffix']);
  t.deepEqual(bucketCodes('bucket.mrap'), ['bucket-name.reserved-suffix']);
  t.deepEqual(bucketCodes('bucket--x-s3'), ['bucket-name.reserved-suffix']);
  t.deepEqual(bucketCodes(''), ['bucket-name.length']);
});

test('the bucket characters rule names the offending characters', (t) => {
  const issues = new IssueCollector('test');
  checkBucketName(issues, 'bucket', 'my_bucket!');
  t.regex(issues.issues[0].rule, /found "_", "!"/);
  t.is(issues.issues[0].source, 'Amazon S3 bucket naming rules');
});

test('matchAnyCase returns the canonical spelling', (t) => {
  t.is(matchAnyCase('vmdk', ['VMDK', 'RAW']), 'VMDK');
  t.is(matchAnyCase('qcow2', ['VMDK', 'RAW']), undefined);
});

test('redactUrl drops the query string and user info of a pre-signed URL', (t) => {
  const url = 'https://b.s3.amazonaws.com/disk.vmdk?X-Amz-Credential=AKIAEXAMPLE%2F2024&X-Amz-Signature=abc';
  t.is(redactUrl(url), 'https://b.s3.amazonaws.com/disk.vmdk (query and user info hidden)');
  t.is(redactUrl('https://user:secret@host/x'), 'https://host/x (query and user info hidden)');
  t.false(redactUrl('not a url?X-Amz-Signature=abc').includes('Signature'));
});
