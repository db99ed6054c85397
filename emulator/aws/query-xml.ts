import { type ServiceResponse } from '../core/http-service';
import { renderXml, type XmlObject, type XmlValue } from '../core/xml';
import { type AwsError } from './aws-error';

/** Headers of an XML answer from an AWS Query service (JS v3 reads the request id from the header only). */
export function awsXmlHeaders(requestId: string): Record<string, string> {
  return { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId };
}

/** IAM/STS success: `<XResponse><XResult>…</XResult><ResponseMetadata><RequestId/></ResponseMetadata></XResponse>`. */
export function queryXmlResponse(action: string, xmlns: string, result: XmlObject | undefined, requestId: string): ServiceResponse {
  const content: XmlObject = result === undefined ? {} : { [`${action}Result`]: result };
  content.ResponseMetadata = { RequestId: requestId };
  return { status: 200, headers: awsXmlHeaders(requestId), body: renderXml(`${action}Response`, content, xmlns) };
}

/** IAM/STS error: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function queryXmlError(error: AwsError, xmlns: string, requestId: string): ServiceResponse {
  const body = renderXml(
    'ErrorResponse',
    { Error: { Type: error.status >= 500 ? 'Receiver' : 'Sender', Code: error.code, Message: error.message }, RequestId: requestId },
    xmlns,
  );
  return { status: error.status, headers: awsXmlHeaders(requestId), body };
}

/** `<Name><member>…</member>…</Name>` content, or an empty element for an empty list. */
export function members(list: readonly XmlValue[]): XmlValue {
  return list.length === 0 ? '' : { member: [...list] };
}
