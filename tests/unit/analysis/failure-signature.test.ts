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

describe("failureSignature on the reporters' own shapes", () => {
  const host = () => `${faker.word.noun()}-0.${faker.word.noun()}.svc.cluster.local`;

  it("reads Playwright's JUnit error below the test-title header, with its type a placeholder", () => {
    const title = `checkout/cart.spec.ts:${faker.number.int(90)}:5 Cart › pays`;
    const s = failureSignature({
      type: "FAILURE",
      message: title,
      stack: `[chromium] › ${title} ────────\n\n    Error: page.goto: net::ERR_NAME_NOT_RESOLVED at https://shop.test/cart\n\n        at /home/runner/work/shop/e2e/tests/checkout/cart.spec.ts:13:16`,
    });
    expect(s).toMatchObject({ exceptionType: "Error", scope: "environment", resource: "shop.test" });
    expect(s.messageTemplate).toBe("page.goto: net::ERR_NAME_NOT_RESOLVED at <*>");
  });

  it("takes Go's t.Error message from the stack when the message only says Failed, and its wrapped line", () => {
    const s = failureSignature({
      type: null,
      message: "Failed",
      stack: `=== RUN   TestX/y\n    store_test.go:${faker.number.int(90)}: failed to connect to \`user=shop\`:\n\t\t10.2.9.21:5432 (db): dial tcp 10.2.9.21:5432: connect: connection refused\n--- FAIL: TestX/y (0.01s)`,
    });
    expect(s.headline).toBe("failed to connect to `user=shop`:");
    expect(s.frames).toEqual(["store_test.go:"]);
    expect(s).toMatchObject({ scope: "environment", resource: "10.2.9.21" });
  });

  it("gives one outage one fingerprint across languages when they name the same host", () => {
    const name = host();
    const node = failureSignature({
      type: null,
      message: `getaddrinfo ENOTFOUND ${name}`,
      stack: `Error: getaddrinfo ENOTFOUND ${name}\n    at Client.connect (src/db.ts:3:1)`,
    });
    const java = failureSignature({
      type: "java.net.UnknownHostException",
      message: `${name}: Name or service not known`,
      stack: `java.net.UnknownHostException: ${name}: Name or service not known\n\tat com.acme.Repo.load(Repo.java:12)`,
    });
    const goText = (n: string) => ({
      type: null,
      message: `dial tcp: lookup ${n} on 127.0.0.53:53: no such host`,
      stack: null,
    });
    const go = failureSignature(goText(name));
    expect(new Set([node.fingerprint, java.fingerprint, go.fingerprint]).size).toBe(1);
    expect(failureSignature(goText(host())).fingerprint).not.toBe(go.fingerprint);
  });

  it("keys a URL's host and the address it resolved to alike, and disk-full by the condition", () => {
    const both = failureSignature({
      type: "FetchError",
      message: "request to https://pay.example/v1 failed, reason: connect ECONNREFUSED 10.7.1.9:443",
      stack: null,
    });
    expect(both.resource).toBe("10.7.1.9");
    expect(both.aliases).toHaveLength(1);
    const named = failureSignature({ type: null, message: "connect ECONNREFUSED (pay.example:443)", stack: null });
    expect(both.aliases).toContain(named.fingerprint);
    const java = failureSignature({ type: "java.io.IOException", message: "No space left on device", stack: null });
    const python = failureSignature({
      type: null,
      message: `OSError: [Errno 28] No space left on device: '/tmp/${faker.string.alphanumeric(8)}'`,
      stack: null,
    });
    expect(java).toMatchObject({ scope: "environment", resource: "disk-full" });
    expect(python.fingerprint).toBe(java.fingerprint);
  });

  it("keys a product exception on its innermost product frame, whichever test called it, and reads Vitest and pytest frames", () => {
    const vitest = (test: string) =>
      failureSignature({
        type: "TypeError",
        message: "Cannot read properties of undefined (reading 'lines')",
        stack: `TypeError: Cannot read properties of undefined (reading 'lines')\n ❯ Basket.sync apps/web/src/lib/basket.ts:107:11\n ❯ apps/web/src/lib/${test}.test.ts:${faker.number.int(300)}:29`,
      });
    const [a, b] = [vitest("basket"), vitest("checkout")];
    expect(a.frames).toEqual(["lib/basket.ts:Basket.sync", "lib/basket.test.ts:"]);
    expect(a.keyFrames).toEqual(["lib/basket.ts:Basket.sync"]);
    expect(a.fingerprint).toBe(b.fingerprint);
    const pytest = failureSignature({
      type: null,
      message: "AttributeError: 'NoneType' object has no attribute 'id'",
      stack: `>       assert created.id == order.id\nE       AttributeError: 'NoneType' object has no attribute 'id'\n\ntests/unit/test_orders.py:${faker.number.int(90)}: AttributeError`,
    });
    expect(pytest).toMatchObject({
      exceptionType: "AttributeError",
      frames: ["tests/unit/test_orders.py:"],
      scope: "code",
    });
  });
});
