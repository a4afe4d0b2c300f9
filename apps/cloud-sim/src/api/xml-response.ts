import { XMLBuilder } from 'fast-xml-parser';

// EC2 answers in the namespace of the API version the client asked for; boto 2 sends
// Version=2014-10-01 and the SDK 2016-11-15. Element shapes are the same in both for the
// actions cloud-sim serves.

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false });
const declaration = { '@_version': '1.0', '@_encoding': 'UTF-8' };

export function ec2Namespace(version: string): string {
  return `http://ec2.amazonaws.com/doc/${version}/`;
}

/** `<{Action}Response xmlns=...><requestId/>...body...</{Action}Response>` */
export function successXml(action: string, version: string, requestId: string, body: object): string {
  return builder.build({
    '?xml': declaration,
    [`${action}Response`]: { '@_xmlns': ec2Namespace(version), requestId, ...body },
  });
}

/** EC2's error document: note `RequestID` (capital ID), unlike the success responses. */
export function errorXml(code: string, message: string, requestId: string): string {
  return builder.build({
    '?xml': declaration,
    Response: { Errors: { Error: { Code: code, Message: message } }, RequestID: requestId },
  });
}

/** An EC2 list: `<xSet><item>…</item>…</xSet>`; empty lists stay as an empty element. */
export function itemSet<T>(items: readonly T[]): { item: T[] } | '' {
  return items.length === 0 ? '' : { item: [...items] };
}
