import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/** A value the XML renderer accepts: text, nested elements, or lists of repeated elements. `undefined`/`null` are left out. */
export type XmlValue = string | number | boolean | undefined | null | XmlObject | XmlValue[];
/** Nested elements, in insertion order; `@_name` keys are attributes. */
export interface XmlObject {
  [element: string]: XmlValue;
}

// Text escapes only what XML requires (&, <, >), as AWS does: apostrophes and quotes in messages stay readable.
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  processEntities: false,
  tagValueProcessor: (_name: string, value: unknown) => escapeText(String(value)),
  attributeValueProcessor: (_name: string, value: unknown) => escapeText(String(value)).replace(/"/g, '&quot;'),
});
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, removeNSPrefix: true, trimValues: true });

/** Renders `<root xmlns=…>…</root>` with an XML declaration. Empty values render as `<name/>`. */
export function renderXml(root: string, content: XmlObject, xmlns?: string): string {
  const body = xmlns ? { '@_xmlns': xmlns, ...stripNulls(content) } : stripNulls(content);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [root]: body }) as string}`;
}

/** Parses well-formed XML into plain objects (text values stay strings), or returns undefined when it is not well-formed. */
export function parseXml(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '' || XMLValidator.validate(text) !== true) return undefined;
  try {
    return parser.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function stripNulls(value: XmlObject): XmlObject {
  const out: XmlObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || item === null) continue;
    out[key] = Array.isArray(item) ? item.map((entry) => (isObject(entry) ? stripNulls(entry) : entry)) : isObject(item) ? stripNulls(item) : item;
  }
  return out;
}

function isObject(value: XmlValue): value is XmlObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Characters XML 1.0 cannot carry at all, not even as a character reference: C0 controls other than tab, LF and CR,
 * U+FFFE, U+FFFF, and unpaired surrogates.
 */
// eslint-disable-next-line no-control-regex -- the control characters XML 1.0 forbids are what this matches
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Escapes `&`, `<` and `>` for XML text, and replaces characters XML 1.0 forbids with U+FFFD. Values echoed from a
 * request (an IAM name with U+0000 in a ValidationError message) would otherwise make the whole answer
 * unparseable for a strict XML parser (botocore's expat), so the client could not even read the error code.
 */
export function escapeText(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
