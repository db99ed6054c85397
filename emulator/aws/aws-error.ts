/** An error an AWS service answers with: code, message and HTTP status. */
export class AwsError extends Error {
  /** Error code (`InvalidParameterValue`). */
  public readonly code: string;
  /** HTTP status. */
  public readonly status: number;

  public constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
  }
}
