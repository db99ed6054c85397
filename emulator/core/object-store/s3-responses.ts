import { type ServiceResponse } from '../http-service';
import { renderXml, type XmlObject } from '../xml';

/** S3's XML namespace. */
export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Headers S3 puts on every answer. */
export function s3Headers(requestId: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { 'x-amz-request-id': requestId, 'x-amz-id-2': Buffer.from(requestId).toString('base64'), Server: 'AmazonS3', ...extra };
}

/** An S3 error: `<Error><Code/><Message/>…<RequestId/><HostId/></Error>`. */
export function s3Error(status: number, code: string, message: string, requestId: string, details: XmlObject = {}): ServiceResponse {
  const body = renderXml('Error', { Code: code, Message: message, ...details, RequestId: requestId, HostId: Buffer.from(requestId).toString('base64') });
  return { status, headers: s3Headers(requestId, { 'Content-Type': 'application/xml' }), body };
}

/** A successful XML answer. */
export function s3Xml(requestId: string, root: string, content: XmlObject, status = 200): ServiceResponse {
  return { status, headers: s3Headers(requestId, { 'Content-Type': 'application/xml' }), body: renderXml(root, content, S3_XMLNS) };
}

/** A successful answer without a body. */
export function s3Empty(requestId: string, status = 200): ServiceResponse {
  return { status, headers: s3Headers(requestId) };
}
