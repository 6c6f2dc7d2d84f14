/**
 * Errors the core throws on purpose, told apart by class (never by their message text): each surface maps them to
 * its own way of saying "your input is wrong, nothing changed" (HTTP 400, exit code 2, a message in the form).
 * Anything else that escapes the core is a fault of TCE or of the machine.
 */

/** Input TCE refuses as it stands (a date that is not one, an unknown time zone); nothing was read or changed. */
export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
}

/** A settings change with values out of range or of the wrong kind; the settings file was left as it was. */
export class InvalidSettingsError extends InvalidInputError {
  override name = 'InvalidSettingsError';
  /** Each refused value, as a sentence. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid settings: ${problems.join('; ')}`);
    this.problems = problems;
  }
}
