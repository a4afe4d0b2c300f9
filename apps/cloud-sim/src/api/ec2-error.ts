// An error answered to the client in EC2's own shape. Codes are the ones real EC2 uses, so
// clients (the AWS SDK, boto) classify them exactly as they would against AWS.

/** HTTP status per code: EC2 answers capacity and internal problems as server errors (5xx),
 *  which the SDK's standard retry mode retries; everything the caller got wrong is a 400. */
const STATUS_BY_CODE: Record<string, number> = {
  RequestLimitExceeded: 503,
  Unavailable: 503,
  ServiceUnavailable: 503,
  InternalError: 500,
  InsufficientInstanceCapacity: 500,
  MissingAuthenticationToken: 401,
  AuthFailure: 401,
};

export class Ec2Error extends Error {
  readonly code: string;
  readonly httpStatus: number;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'Ec2Error';
    this.code = code;
    this.httpStatus = STATUS_BY_CODE[code] ?? 400;
  }
}

/** Message EC2 writes for codes injected by fault rules, where no request context explains them. */
export function injectedError(code: string): Ec2Error {
  return new Ec2Error(code, `Injected by cloud-sim fault rule (${code}).`);
}
