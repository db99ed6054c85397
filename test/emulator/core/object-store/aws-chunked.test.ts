import test from 'ava';
import { decodeAwsChunked, failedChecksum } from '../../../../emulator/core/object-store/aws-chunked';
import { deriveSigningKey } from '../../../../emulator/core/sigv4-verifier';

test('aws-chunked: verifies the signed-chunk chain of AWS\'s published example (65 KiB + 1 KiB of "a")', (t) => {
  const signing = {
    signingKey: deriveSigningKey('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '20130524', 'us-east-1', 's3'),
    amzDate: '20130524T000000Z',
    scope: '20130524/us-east-1/s3/aws4_request',
    seedSignature: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
  };
  const chunk = (size: number, signature: string, data: Buffer) => Buffer.concat([Buffer.from(`${size.toString(16)};chunk-signature=${signature}\r\n`), data, Buffer.from('\r\n')]);
  const body = Buffer.concat([
    chunk(65536, 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648', Buffer.alloc(65536, 'a')),
    chunk(1024, '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497', Buffer.alloc(1024, 'a')),
    Buffer.from('0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n'),
  ]);
  const decoded = decodeAwsChunked(body, signing);
  t.is(decoded.data.length, 66560);
  const forged = Buffer.from(body);
  forged[200] = 0x62; // one byte of the first chunk changed
  t.throws(() => decodeAwsChunked(forged, signing), { message: /chunk signature does not match/ });
});

test('aws-chunked: unsigned chunks with a checksum trailer, as SDK v3 streams them', (t) => {
  const body = Buffer.from('6\r\nstream\r\n5\r\n body\r\n0\r\nx-amz-checksum-crc32:GjnA3g==\r\n\r\n');
  const decoded = decodeAwsChunked(body);
  t.is(decoded.data.toString(), 'stream body');
  t.deepEqual(decoded.trailers, { 'x-amz-checksum-crc32': 'GjnA3g==' });
  t.is(failedChecksum(decoded.data, decoded.trailers), 'CRC32', 'a made-up checksum is caught');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(require('node:zlib').crc32(decoded.data) >>> 0);
  t.is(failedChecksum(decoded.data, { 'x-amz-checksum-crc32': crc.toString('base64') }), undefined);
});

test('rejects broken aws-chunked framing, naming the problem', (t) => {
  t.throws(() => decodeAwsChunked(Buffer.from('zz\r\nabc')), { message: /not hexadecimal/ });
  t.throws(() => decodeAwsChunked(Buffer.from('10\r\nabc')), { message: /declares 16 bytes but only 3 follow/ });
  t.throws(() => decodeAwsChunked(Buffer.from('3\r\nabcXX0\r\n\r\n')), { message: /not followed by CRLF/ });
  t.throws(() => decodeAwsChunked(Buffer.from('3')), { message: /ends inside a chunk header/ });
});
