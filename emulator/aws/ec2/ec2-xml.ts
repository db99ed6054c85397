import { type ServiceResponse } from '../../core/http-service';
import { renderXml, type XmlObject, type XmlValue } from '../../core/xml';
import { type AwsError } from '../aws-error';
import { type Ec2Tag } from './ec2-state';

/** EC2's XML namespace (with the trailing slash the documentation samples use). */
export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

function headers(requestId: string): Record<string, string> {
  return { 'Content-Type': 'text/xml;charset=UTF-8', 'x-amzn-RequestId': requestId, Server: 'AmazonEC2' };
}

/** `<ActionResponse xmlns=…><requestId/>…</ActionResponse>` (EC2 has no `…Result` wrapper). */
export function ec2Response(action: string, content: XmlObject, requestId: string): ServiceResponse {
  return { status: 200, headers: headers(requestId), body: renderXml(`${action}Response`, { requestId, ...content }, EC2_XMLNS) };
}

/** `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`. */
export function ec2Error(error: AwsError, requestId: string): ServiceResponse {
  const body = renderXml('Response', { Errors: { Error: { Code: error.code, Message: error.message } }, RequestID: requestId });
  return { status: error.status, headers: headers(requestId), body };
}

/** `<xSet><item>…</item>…</xSet>` content; an empty list renders `<xSet/>`. */
export function itemSet(items: readonly XmlValue[]): XmlValue {
  return items.length === 0 ? '' : { item: [...items] };
}

/** `<tagSet>` content. */
export function tagSet(tags: readonly Ec2Tag[]): XmlValue {
  return itemSet(tags.map((tag) => ({ key: tag.key, value: tag.value })));
}
