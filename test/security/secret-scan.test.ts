import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { FAKE_SESSION_TOKENS, SecretScanner } from './secret-scan';

// The scanner is what every "finds none" of this suite rests on: it must find each spelling a secret can take.
const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const scanner = new SecretScanner([
  { label: 'secret', value: secret },
  { label: 'token', value: FAKE_SESSION_TOKENS.aws },
]);

test('finds a secret verbatim, URL-encoded (once, twice, lower-case hex), JSON-escaped and hex', (t) => {
  for (const [encoding, text] of [
    ['raw', `x-secret: ${secret}`],
    ['url-encoded', `?key=${encodeURIComponent(secret)}&a=b`],
    ['url-encoded twice', `GET&%2F&Secret%3D${encodeURIComponent(encodeURIComponent(secret))}`],
    ['url-encoded (lower-case hex)', encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ['hex', Buffer.from(secret).toString('hex')],
  ] as const) {
    t.true(
      scanner.scan('text', text).some((leak) => leak.label === 'secret' && leak.encoding === encoding),
      `${encoding} spelling not found in ${text}`,
    );
  }
});

test('finds a secret base64-encoded inside a larger blob at every byte alignment, standard and URL-safe', (t) => {
  for (const prefix of ['', 'a', 'ab', 'abc', 'user:']) {
    const blob = Buffer.from(`${prefix}${secret}:suffix`);
    t.true(scanner.scan('basic auth', `Basic ${blob.toString('base64')}`).length > 0, `prefix ${JSON.stringify(prefix)} (base64)`);
    t.true(scanner.scan('token', blob.toString('base64url')).length > 0, `prefix ${JSON.stringify(prefix)} (base64url)`);
  }
});

test('finds a secret in nested values, Buffers and file trees (names and binary contents), and says where', (t) => {
  t.deepEqual(
    scanner.scan('state', { a: [{ b: { token: FAKE_SESSION_TOKENS.aws } }] }).map((leak) => [leak.label, leak.where]),
    [['token', 'state']],
  );
  t.true(scanner.scan('buffer', { body: Buffer.from(`..${secret}..`) }).length > 0);
  const dir = mkdtempSync(join(tmpdir(), 'imageport-scan-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'a'));
  writeFileSync(join(dir, 'a', 'disk.raw'), Buffer.concat([Buffer.alloc(1000), Buffer.from(secret), Buffer.alloc(10)]));
  writeFileSync(join(dir, encodeURIComponent(FAKE_SESSION_TOKENS.aws)), 'named after a token');
  writeFileSync(join(dir, 'clean.txt'), 'nothing here');
  t.deepEqual(
    scanner.scanTree(dir, 'tree').map((leak) => `${leak.label} ${leak.where}`).sort(),
    ['secret tree/a/disk.raw', `token tree/${encodeURIComponent(FAKE_SESSION_TOKENS.aws)} (name)`],
  );
  t.deepEqual(scanner.scanTree(dir, 'tree', (path) => path !== 'clean.txt'), []);
});

test('reports nothing for clean text or the redacted forms', (t) => {
  t.deepEqual(scanner.scanAll({ a: 'SignatureDoesNotMatch: check your key', b: 'wJal***', c: '[redacted]', d: secret.slice(0, 11) }), []);
});
