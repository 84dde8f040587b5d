import { faker } from "@faker-js/faker";
import type { FailureText } from "../../src/analysis/failure-signature.js";

/** Where a checkout lives on some CI runner. */
export const checkoutDir = (): string =>
  faker.helpers.arrayElement(["/home/runner/work/shop/shop", "/builds/acme/shop", "/var/lib/jenkins/ws/shop-12"]);

/** The address of the database service the tests of one file talk to: one service, one address. */
const databaseAddress = {
  ip: `10.${faker.number.int(255)}.${faker.number.int(255)}.${faker.number.int({ min: 1, max: 254 })}`,
  port: faker.internet.port(),
};

/**
 * A Node.js connection failure raised in the project's database client, as one test would see
 * it: by default to the one database address of the test file, as during one outage.
 */
export function connectionRefused(checkout = checkoutDir(), address = databaseAddress): FailureText {
  const { port, ip } = address;
  return {
    type: null,
    message: `connect ECONNREFUSED ${ip}:${port}`,
    stack: [
      `Error: connect ECONNREFUSED ${ip}:${port}`,
      `    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:${faker.number.int({ min: 1000, max: 2000 })}:16)`,
      `    at Client.connect (${checkout}/src/db/client.ts:${faker.number.int({ min: 10, max: 90 })}:11)`,
      `    at ${faker.word.verb()}Test (${checkout}/node_modules/vitest/dist/runner.js:1:1)`,
    ].join("\n"),
  };
}

/** A Jest assertion failure in a test file, with Jest's code frame and diff. */
export function jestAssertion(file = "tests/cart.test.ts", test = "applies the coupon"): FailureText {
  const expected = faker.number.int({ max: 100 });
  const received = expected + faker.number.int({ min: 1, max: 9 });
  return {
    type: null,
    message: [
      "expect(received).toBe(expected) // Object.is equality",
      "",
      `Expected: ${expected}`,
      `Received: ${received}`,
      "",
      `  > ${faker.number.int({ min: 2, max: 80 })} |   expect(total).toBe(${expected});`,
      "    |                 ^",
    ].join("\n"),
    stack: `Error: expect(received).toBe(expected)\n    at Object.<anonymous> (${checkoutDir()}/${file}:${faker.number.int({ min: 2, max: 99 })}:17)\n    at Promise.finally.completed (/x/node_modules/jest-circus/build/jestAdapterInit.js:1834:28)\n    at ${test.replace(/\W/g, "")}`,
  };
}
