/** The token that stands for a variable part of a message in a template. */
export const WILDCARD = "<*>";

/** Characters that wrap a value without being part of it: `(42)`, `"/tmp/x",`, `[7]:`. */
const WRAPPER = /^([([{<"'`]*)(.*?)([)\]}>"'`,;:.!?]*)$/s;

// One expression per shape of value. Written for what log lines of any system hold, with no
// per-dataset setting: the template miner is judged on corpora it has never seen.
const URL = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i;
/** A rooted path (`/var/x`, `./x`, `~/x`, `C:\\x`), or one of three segments or more; `and/or`, `I/O` and `text/html` are not. */
const ROOTED_PATH = /^(?:[a-z]:[\\/]|[\\/]|\.{1,2}[\\/]|~[\\/])[\w.@-]\S*$/i;
const LONG_PATH = /^[^\\/\s]+(?:[\\/][^\\/\s]+){2,}[\\/]?$/;
const DIGIT = /\d/;
const NUMBER = /^[-+]?\d+(?:[.,]\d+)*$/;
/** Stand-ins for a missing value, which take the place of one: `<none>` where a version would be. */
const NO_VALUE = /^(?:<none>|<null>|<nil>|<empty>|<unknown>|null|nil|undefined|None|NaN)$/;
const MONTH_OR_DAY =
  /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/i;

/**
 * Whether a bare token (no wrapping punctuation) is a value that varies between lines of one
 * event: a number, an id, an address, a time, a path. Any token with a digit in it counts:
 * ids like `blk_-1608`, `job_1445`, `node-12`, `r2d2` change from line to line, while the
 * words of a message rarely hold digits. Paths count even without digits, since the file is
 * almost always the variable part of a message about a file.
 */
export function isVariable(core: string): boolean {
  if (core === "") return false;
  if (DIGIT.test(core) || NO_VALUE.test(core)) return true;
  if (core.length >= 2 && (URL.test(core) || EMAIL.test(core))) return true;
  if (core.includes("/") || core.includes("\\"))
    return core.length > 1 && (ROOTED_PATH.test(core) || LONG_PATH.test(core));
  return false;
}

/** One token of a line: its text as written and, when it is a value, the text that stands for it. */
export interface LogToken {
  /** The token as it appeared. */
  readonly text: string;
  /** `text` with its value replaced by {@link WILDCARD} (wrapping kept: `(<*>)`), or `text` itself. */
  readonly masked: string;
  /** Whether `masked` holds a wildcard. */
  readonly variable: boolean;
}

/** A key of a `key=value` or `key:value` token: a name, never a number (`15:16:01` is a time). */
const KEY = /^[a-z_][\w.-]*$/i;

function maskToken(text: string): LogToken {
  if (NO_VALUE.test(text)) return { text, masked: WILDCARD, variable: true };
  const [, open = "", core = "", close = ""] = WRAPPER.exec(text) ?? [];
  // key=value and key:value: the key is part of the message, the value usually is not. After a
  // colon only a number counts as a value: `libc6:amd64` and `debian:ca.pem` are names.
  const separator = URL.test(core) || EMAIL.test(core) ? -1 : core.search(/[=:]/);
  if (separator > 0 && separator < core.length - 1 && KEY.test(core.slice(0, separator))) {
    const [, vOpen = "", vCore = "", vClose = ""] = WRAPPER.exec(core.slice(separator + 1)) ?? [];
    const isValue = core[separator] === "=" ? isVariable(vCore) : NUMBER.test(vCore);
    if (core[separator] === ":" && !isValue && isVariable(core))
      return { text, masked: `${open}${WILDCARD}${close}`, variable: true };
    return isValue
      ? { text, masked: `${open}${core.slice(0, separator + 1)}${vOpen}${WILDCARD}${vClose}${close}`, variable: true }
      : { text, masked: text, variable: false };
  }
  if (isVariable(core)) return { text, masked: `${open}${WILDCARD}${close}`, variable: true };
  return { text, masked: text, variable: false };
}

/**
 * Splits a line into whitespace-separated tokens and masks the values among them. A month
 * or weekday name next to a masked value is a date (`Jun 14 15:16:01`) and is masked too,
 * so that logs that start with a timestamp do not split by month.
 */
export function tokenizeLine(line: string): LogToken[] {
  const tokens = line.split(/\s+/).filter((token) => token !== "");
  const masked = tokens.map(maskToken);
  // Twice: in `Mon Dec 01` the weekday is beside a value only once the month is one.
  for (let pass = 0; pass < 2; pass++)
    for (let i = 0; i < masked.length; i++) {
      const token = masked[i] as LogToken;
      if (token.variable || !MONTH_OR_DAY.test(token.text.replace(/[,.]$/, ""))) continue;
      if (masked[i - 1]?.variable === true || masked[i + 1]?.variable === true)
        masked[i] = { text: token.text, masked: WILDCARD, variable: true };
    }
  return masked;
}
