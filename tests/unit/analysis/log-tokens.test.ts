import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { isVariable, tokenizeLine, WILDCARD } from "../../../src/analysis/log-tokens.js";

const masked = (line: string) => tokenizeLine(line).map((token) => token.masked);

describe("isVariable", () => {
  it.each([
    ["a number", String(faker.number.int())],
    ["a float", "3.14159"],
    ["an id with digits", `blk_-${faker.number.int({ min: 1000 })}`],
    ["an IPv4 address with port", `${faker.internet.ipv4()}:8080`],
    ["a UUID", faker.string.uuid()],
    ["a hex address", "0x7ffd5a2b"],
    ["a timestamp", faker.date.recent().toISOString()],
    ["a rooted path", "/var/lib/kaizen/data"],
    ["a Windows path", "C:\\Windows\\System32"],
    ["a relative path of three segments", "src/store/db"],
    ["a URL", "https://example.com/a"],
    ["an email address", "dev@example.com"],
    ["a stand-in for no value", "null"],
  ])("calls %s a value", (_, token) => {
    expect(isVariable(token)).toBe(true);
  });

  it.each([
    ["a word", faker.word.noun()],
    ["a media type", "text/html"],
    ["a short slash word", "I/O"],
    ["the empty token", ""],
    ["a lone slash", "/"],
  ])("calls %s part of the message", (_, token) => {
    expect(isVariable(token)).toBe(false);
  });
});

describe("tokenizeLine", () => {
  it("masks values and keeps the punctuation around them", () => {
    expect(masked("Retrying (3) in 250ms, id=42: failed")).toEqual([
      "Retrying",
      `(${WILDCARD})`,
      "in",
      `${WILDCARD},`,
      `id=${WILDCARD}:`,
      "failed",
    ]);
  });

  it("masks the value of key=value and key:value pairs, not the key", () => {
    expect(masked("user=root uid=0 status:404 mode=fast")).toEqual([
      "user=root",
      `uid=${WILDCARD}`,
      `status:${WILDCARD}`,
      "mode=fast",
    ]);
  });

  it("reads a colon before a name as part of the name, masking it whole when it has digits", () => {
    expect(masked("libc6:amd64 debian:ca.pem 15:16:01")).toEqual([WILDCARD, "debian:ca.pem", WILDCARD]);
  });

  it("masks a month or weekday name beside a date", () => {
    expect(masked("Jun 14 15:16:01 combo sshd")).toEqual([WILDCARD, WILDCARD, WILDCARD, "combo", "sshd"]);
    expect(masked("Mon Dec 01 2026")).toEqual([WILDCARD, WILDCARD, WILDCARD, WILDCARD]);
    expect(masked("May I help")).toEqual(["May", "I", "help"]);
  });

  it("masks stand-ins for a missing value, even in angle brackets", () => {
    expect(masked("configure pkg <none>")).toEqual(["configure", "pkg", WILDCARD]);
  });

  it("keeps the text of every token and splits on any whitespace", () => {
    const tokens = tokenizeLine("  a\t b \r\n 7 ");
    expect(tokens.map((t) => t.text)).toEqual(["a", "b", "7"]);
    expect(tokens.map((t) => t.variable)).toEqual([false, false, true]);
  });
});
