/**
 * The root of oaktree's own errors. Anything that is an OaktreeError has a message written
 * for the user (a config mistake, a cloud's refusal, an unsupported feature), so front ends
 * print its message in one line, without a stack trace. Anything else is a bug.
 */
export class OaktreeError extends Error {
  override readonly name: string = "OaktreeError";
}

/** A feature the cloud (or its negotiated microversion) does not offer; raised before any I/O. */
export class NotSupportedError extends OaktreeError {
  override readonly name = "NotSupportedError";
}

/** Bad input from the caller: `field` names what is wrong. Raised before any I/O. */
export class ValidationError extends OaktreeError {
  override readonly name = "ValidationError";
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}
