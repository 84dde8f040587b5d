import { faker } from "@faker-js/faker";
import { describe, expect, it } from "vitest";
import { failureSignature, projectFrames } from "../../../src/analysis/failure-signature.js";
import { connectionRefused, jestAssertion } from "../../factories/failure-text.js";

describe("failureSignature", () => {
  it("gives one root cause the same fingerprint across runners, ports and line numbers", () => {
    const a = failureSignature(connectionRefused("/home/runner/work/shop/shop"));
    const b = failureSignature(connectionRefused("/builds/acme/shop"));
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a).toMatchObject({
      exceptionType: null,
      messageTemplate: "connect ECONNREFUSED <*>",
      frames: ["src/db/client.ts:Client.connect"],
      // A refused connection is the environment's failure: the frames are kept but not keyed on.
      scope: "environment",
    });
    expect(a.headline).toMatch(/^connect ECONNREFUSED \d+\.\d+\.\d+\.\d+:\d+$/);
  });

  it("tells apart the same assertion failing in different tests", () => {
    const cart = failureSignature(jestAssertion("tests/cart.test.ts"));
    const again = failureSignature(jestAssertion("tests/cart.test.ts"));
    const orders = failureSignature(jestAssertion("tests/orders.test.ts"));
    expect(cart.fingerprint).toBe(again.fingerprint);
    expect(orders.fingerprint).not.toBe(cart.fingerprint);
    expect(cart.messageTemplate).toBe("expect(received).toBe(expected) // Object.is equality");
  });

  it("reads the exception type from the message when the report does not give it", () => {
    const signature = failureSignature({
      type: null,
      message: `java.lang.IllegalStateException: cart ${faker.string.uuid()} is closed`,
      stack: null,
    });
    expect(signature).toMatchObject({
      exceptionType: "java.lang.IllegalStateException",
      messageTemplate: "cart <*> is closed",
      frames: [],
    });
  });

  it("keeps the report's type, skips code frames and diff lines, and falls back to the stack", () => {
    expect(
      failureSignature({ type: "AssertionError", message: "  > 3 | expect(x)\n\nvalues differ", stack: null }),
    ).toMatchObject({ exceptionType: "AssertionError", messageTemplate: "values differ" });
    expect(
      failureSignature({ type: " ", message: "", stack: "Error: boom 42\n    at run (src/a.ts:1:1)" }),
    ).toMatchObject({ exceptionType: "Error", messageTemplate: "boom <*>", frames: ["src/a.ts:run"] });
    expect(failureSignature({ type: null, message: "", stack: null }).messageTemplate).toBe("<*>");
  });
});

describe("projectFrames", () => {
  it("reads JVM, .NET, Python, Ruby and Go frames and drops the runtime's and the frameworks'", () => {
    const stack = [
      "\tat org.junit.Assert.fail(Assert.java:89)",
      "\tat app//com.example.cart.CartTest.appliesCoupon(CartTest.java:48)",
      "   at Shop.Tests.CartTests.Totals() in /src/Shop.Tests/CartTests.cs:line 42",
      '  File "/builds/app/tests/test_cart.py", line 12, in test_total',
      "/app/spec/cart_spec.rb:10:in 'block (2 levels) in <top (required)>'",
      "example.com/shop/cart.(*Cart).Item(...)",
      "\t/home/runner/work/shop/cart/cart.go:42 +0x1d",
      "\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
    ].join("\n");
    expect(projectFrames(stack, 10)).toEqual([
      "CartTest.java:com.example.cart.CartTest.appliesCoupon",
      "src/Shop.Tests/CartTests.cs:Shop.Tests.CartTests.Totals",
      "tests/test_cart.py:test_total",
      "spec/cart_spec.rb:block (2 levels) in <top (required)>",
      "cart/cart.go:example.com/shop/cart.(*Cart).Item",
    ]);
  });

  it("keeps only the innermost frames", () => {
    const stack = Array.from({ length: 6 }, (_, i) => `    at step${i} (src/flow.ts:${i + 1}:1)`).join("\n");
    expect(projectFrames(stack)).toEqual(["src/flow.ts:step0", "src/flow.ts:step1", "src/flow.ts:step2"]);
  });
});
