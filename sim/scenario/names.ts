/**
 * What a name may be: one rule for scenario names (which become report folders), app names, host
 * types and mode names, so validation and every writer agree. Plus the rule for free text
 * (titles, labels): no control characters, which would reach terminals and SVGs raw.
 */

/** Longest name: well inside any file system's 255-byte limit on one path component. */
export const NAME_MAX_LENGTH = 100;

/** Lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (so never `.`, `..` or hidden). */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * Names the rule excludes: `constructor` is the one lower-case name on every JavaScript
 * object's prototype, and the chart library (Vega) mistakes data values of that name for it.
 */
export const RESERVED_NAMES: readonly string[] = ["constructor"];

/** The rule in words, for messages and the README. */
export const NAME_RULE = `1 to ${NAME_MAX_LENGTH} characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, and not "constructor"`;

/** True when `s` may be a scenario, app, host type or mode name (and so a file or folder name). */
export function isSafeName(s: unknown): s is string {
  return typeof s === "string" && s.length <= NAME_MAX_LENGTH && NAME_PATTERN.test(s) && !RESERVED_NAMES.includes(s);
}

/** Image names also allow registry references: `registry.local/team/app:1.2`, `app@sha256:...`. */
export const IMAGE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/;
export const IMAGE_NAME_MAX_LENGTH = 200;
export const IMAGE_NAME_RULE = `1 to ${IMAGE_NAME_MAX_LENGTH} characters: letters, digits, '.', '_', '/', ':', '@' or '-', starting with a letter or digit`;
export const isImageName = (s: string): boolean => s.length <= IMAGE_NAME_MAX_LENGTH && IMAGE_NAME_PATTERN.test(s);

/** Control characters: C0 (tab included), DEL and C1. */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Longest free text (a title, a licence label). */
export const TEXT_MAX_LENGTH = 500;
