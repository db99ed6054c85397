import test from 'ava';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../../..');

// The CLI's `validate` loads only the rules and the role documents: they must not pull in any SDK.
test('rules.ts and role-documents.ts load no SDK', (t) => {
  const script = `
    require('./lib/clouds/aws/rules.ts');
    require('./lib/clouds/aws/role-documents.ts');
    const loaded = Object.keys(require.cache).filter((f) => /node_modules[\\\\/](@aws-sdk|@smithy|@alicloud)/.test(f));
    process.stdout.write(JSON.stringify(loaded));
  `;
  const out = execFileSync(process.execPath, ['--import=tsx', '-e', script], { cwd: root, encoding: 'utf8' });
  t.deepEqual(JSON.parse(out), []);
});
