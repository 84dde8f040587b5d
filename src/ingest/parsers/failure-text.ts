import type { RawFailure } from "../raw-records.js";

/**
 * JavaScript test runners (Jest, Vitest, Mocha, Playwright) report a failure as the text a
 * terminal would show: `TypeError: message` followed by `    at frame` lines, often coloured
 * with ANSI escapes. These functions split that text into a {@link RawFailure}.
 */

// CSI sequences (colours, cursor moves) and OSC sequences (hyperlinks) as terminals read them.
// eslint-disable-next-line no-control-regex -- matching the ESC control character is the point
const ANSI_ESCAPE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

/**
 * Removes terminal colour and cursor escapes. Reporters embed them in JSON because they
 * capture what was printed; they are noise in a message and break fingerprinting.
 */
export function stripAnsi(text: string): string {
  return text.includes("\u001b") ? text.replace(ANSI_ESCAPE, "") : text;
}

// `TypeError: …`, `AssertionError [ERR_ASSERTION]: …`, `errors.NotFoundError: …`.
const TYPE_PREFIX = /^\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?: \[[^\]\n]*\])?: ?/;
const ERROR_NAME = /(?:Error|Exception|Failure|Fault)$/;
const STACK_FRAME = /^\s+at\s/;
// A source excerpt as Jest, Vitest and Playwright print it: `> 12 |   expect(x).toBe(1);`.
const CODE_FRAME = /^\s*>?\s*\d+\s+\|/;

/**
 * The error type a message or stack starts with (`TypeError`, `AssertionError`), when it
 * starts with one. Only names that look like error classes count, so `expected: 3` is not
 * taken for a type.
 */
export function errorTypeOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const name = TYPE_PREFIX.exec(stripAnsi(text))?.[1];
  return name !== undefined && ERROR_NAME.test(name) ? name : undefined;
}

/** `message` without the `Type: ` (or `Type [CODE]: `) it may start with. */
export function withoutTypePrefix(message: string, type: string | undefined): string {
  if (type === undefined) return message;
  const match = TYPE_PREFIX.exec(message);
  return match?.[1] === type ? message.slice(match[0].length) : message;
}

/**
 * Splits one failure text (a stack, or a message followed by a stack) into type, message
 * and stack. The message is what precedes the first `at` frame or source excerpt; the
 * whole text is kept as the stack when it holds more than the message.
 */
export function failureFromText(raw: string): RawFailure {
  const text = stripAnsi(raw)
    .replace(/\s+$/, "")
    .replace(/^(?:[ \t]*\r?\n)+/, "");
  const type = errorTypeOf(text);
  const lines = text.split("\n");
  const firstFrame = lines.findIndex((line) => STACK_FRAME.test(line) || CODE_FRAME.test(line));
  const head = (firstFrame === -1 ? lines : lines.slice(0, firstFrame)).join("\n").replace(/\s+$/, "");
  const message = withoutTypePrefix(head.replace(/^\s+/, ""), type);
  return {
    ...(type === undefined ? {} : { type }),
    ...(message === "" ? {} : { message }),
    ...(firstFrame === -1 ? {} : { stack: text }),
  };
}

/**
 * Builds a {@link RawFailure} from a runner's separate message and stack fields, either of
 * which may be missing. `type` wins over what the stack's first line says.
 */
export function failureFromParts(parts: { type?: string; message?: string; stack?: string }): RawFailure {
  const stack = parts.stack === undefined ? undefined : stripAnsi(parts.stack).replace(/\s+$/, "");
  const rawMessage = parts.message === undefined ? undefined : stripAnsi(parts.message).replace(/\s+$/, "");
  const type = parts.type ?? errorTypeOf(stack) ?? errorTypeOf(rawMessage);
  if (rawMessage === undefined && stack !== undefined) {
    const fromStack = failureFromText(stack);
    return { ...fromStack, ...(type === undefined ? {} : { type }), stack };
  }
  const message = rawMessage === undefined ? undefined : withoutTypePrefix(rawMessage, type);
  // Errors without frames (a timeout, a thrown string) repeat the message as the stack.
  const redundant = stack === undefined || stack === "" || stack === rawMessage || stack === message;
  return {
    ...(type === undefined ? {} : { type }),
    ...(message === undefined || message === "" ? {} : { message }),
    ...(redundant ? {} : { stack }),
  };
}
