import test from 'ava';
import { XMLValidator } from 'fast-xml-parser';
import { escapeText, parseXml, renderXml } from '../../../emulator/core/xml';

// Found by test/emulator/aws/request-parsing-properties.test.ts: IAM echoed RoleName=%00 into its ValidationError
// message as a raw U+0000, which XML 1.0 forbids (botocore's expat cannot read such an answer, not even its code).

/** Characters XML 1.0 does not allow anywhere. */
const NOT_XML_1_0 = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

test('pinned: control characters, U+FFFE/U+FFFF and lone surrogates render as U+FFFD, so the document stays XML 1.0', (t) => {
  const message = "Value '\u0000' at 'roleName' \u0001\u0008\u000b\u000c\u001f \uFFFE\uFFFF \uD800 \uDC00";
  const xml = renderXml('ErrorResponse', { Error: { Code: 'ValidationError', Message: message } });
  t.false(NOT_XML_1_0.test(xml), xml);
  t.true(XMLValidator.validate(xml) === true);
  t.is((parseXml(xml) as { ErrorResponse: { Error: { Message: string } } }).ErrorResponse.Error.Message, "Value '\uFFFD' at 'roleName' \uFFFD\uFFFD\uFFFD\uFFFD\uFFFD \uFFFD\uFFFD \uFFFD \uFFFD");
});

test('text XML allows is kept: tab, line breaks, markup escaped, astral characters (surrogate pairs) intact', (t) => {
  t.is(escapeText('a\tb\nc\rd <&> 😀 \uD83D\uDE00 é'), 'a\tb\nc\rd &lt;&amp;&gt; 😀 😀 é');
  t.is(escapeText('it\'s "quoted"'), 'it\'s "quoted"', 'quotes stay readable in text, as AWS writes them');
});
