import type {
  CauseText,
  EnvironmentKind,
  FrameworkTexts,
  InfrastructureFault,
  Occurrence,
  Renderer,
} from "./failure-text.js";
import type { Random } from "./prng.js";
import type { CodeSite } from "./source-layout.js";
import { amount, ephemeralPort, isoAt, lineAt, pid, prefixedId } from "./varying-values.js";

/** The two Node.js runners: the same assertions, printed their own way. */
type NodeRunner = "jest" | "vitest";

/** A value in an assertion: printed `"a"` by Jest and `'a'` by Vitest. */
type JsValue = string | number | boolean | null;

/** One field of an object diff. */
interface Field {
  readonly key: string;
  readonly expected: JsValue;
  readonly received: JsValue;
}

/** The assertions the simulated tests make, as data both runners can print. */
type Assertion =
  | { readonly matcher: "toBe"; readonly expected: JsValue; readonly received: JsValue }
  | { readonly matcher: "toEqual"; readonly fields: readonly Field[] }
  | { readonly matcher: "toHaveLength"; readonly expected: number; readonly items: readonly string[] }
  | { readonly matcher: "toHaveBeenCalledTimes"; readonly expected: number; readonly received: number }
  | {
      readonly matcher: "toHaveBeenCalledWith";
      readonly expected: string;
      readonly received: string;
      readonly id: string;
    }
  | { readonly matcher: "toThrow"; readonly expected: string; readonly received: string }
  | { readonly matcher: "toContain"; readonly expected: string; readonly items: readonly string[] };

const jestValue = (value: JsValue): string => (typeof value === "string" ? JSON.stringify(value) : String(value));
const vitestValue = (value: JsValue): string => (typeof value === "string" ? `'${value}'` : String(value));

/** Jest's `expect` output: the headline `expect(received)...` and what follows it. */
function jestAssertion(a: Assertion): string {
  switch (a.matcher) {
    case "toBe":
      return `expect(received).toBe(expected) // Object.is equality\n\nExpected: ${jestValue(a.expected)}\nReceived: ${jestValue(a.received)}`;
    case "toEqual": {
      const changed = a.fields.filter((f) => f.expected !== f.received).length;
      const body = a.fields
        .map((f) =>
          f.expected === f.received
            ? `    "${f.key}": ${jestValue(f.expected)},`
            : `-   "${f.key}": ${jestValue(f.expected)},\n+   "${f.key}": ${jestValue(f.received)},`,
        )
        .join("\n");
      return `expect(received).toEqual(expected) // deep equality\n\n- Expected  - ${changed}\n+ Received  + ${changed}\n\n  Object {\n${body}\n  }`;
    }
    case "toHaveLength":
      return `expect(received).toHaveLength(expected)\n\nExpected length: ${a.expected}\nReceived length: ${a.items.length}\nReceived array:  [${a.items.map(jestValue).join(", ")}]`;
    case "toHaveBeenCalledTimes":
      return `expect(jest.fn()).toHaveBeenCalledTimes(expected)\n\nExpected number of calls: ${a.expected}\nReceived number of calls: ${a.received}`;
    case "toHaveBeenCalledWith":
      return `expect(jest.fn()).toHaveBeenCalledWith(...expected)\n\nExpected: "${a.expected}", ObjectContaining {"id": "${a.id}"}\nReceived: "${a.received}", {"id": "${a.id}", "version": 2}\n\nNumber of calls: 1`;
    case "toThrow":
      return `expect(received).toThrow(expected)\n\nExpected substring: "${a.expected}"\nReceived message:   "${a.received}"`;
    case "toContain":
      return `expect(received).toContain(expected) // indexOf\n\nExpected value: "${a.expected}"\nReceived array: [${a.items.map(jestValue).join(", ")}]`;
  }
}

/** Vitest's (chai's) assertion message and the diff it prints under it. */
function vitestAssertion(a: Assertion): { message: string; diff: string } {
  switch (a.matcher) {
    case "toBe":
      return {
        message: `expected ${vitestValue(a.received)} to be ${vitestValue(a.expected)} // Object.is equality`,
        diff: `- Expected\n+ Received\n\n- ${vitestValue(a.expected)}\n+ ${vitestValue(a.received)}`,
      };
    case "toEqual": {
      const show = (pick: (f: Field) => JsValue) =>
        `{ ${a.fields.map((f) => `${f.key}: ${vitestValue(pick(f))}`).join(", ")} }`;
      const diff = a.fields
        .map((f) =>
          f.expected === f.received
            ? `    "${f.key}": ${jestValue(f.expected)},`
            : `-   "${f.key}": ${jestValue(f.expected)},\n+   "${f.key}": ${jestValue(f.received)},`,
        )
        .join("\n");
      return {
        message: `expected ${show((f) => f.received)} to deeply equal ${show((f) => f.expected)}`,
        diff: `- Expected\n+ Received\n\n  Object {\n${diff}\n  }`,
      };
    }
    case "toHaveLength":
      return {
        message: `expected [ ${a.items.map(vitestValue).join(", ")} ] to have a length of ${a.expected} but got ${a.items.length}`,
        diff: `- Expected\n+ Received\n\n- ${a.expected}\n+ ${a.items.length}`,
      };
    case "toHaveBeenCalledTimes":
      return { message: `expected "spy" to be called ${a.expected} times, but got ${a.received} times`, diff: "" };
    case "toHaveBeenCalledWith":
      return {
        message: `expected "spy" to be called with arguments: [ '${a.expected}', …(1) ]`,
        diff: `Received: \n\n  1st spy call:\n\n  Array [\n-   "${a.expected}",\n+   "${a.received}",\n    Object {\n      "id": "${a.id}",\n+     "version": 2,\n    },\n  ]\n\n\nNumber of calls: 1`,
      };
    case "toThrow":
      return {
        message: `expected [Function] to throw error including '${a.expected}' but got '${a.received}'`,
        diff: `- Expected\n+ Received\n\n- ${a.expected}\n+ ${a.received}`,
      };
    case "toContain":
      return { message: `expected [ ${a.items.map(vitestValue).join(", ")} ] to include '${a.expected}'`, diff: "" };
  }
}

/** A stack frame: a function name (or none) at a repository file, line and column. */
interface Frame {
  readonly fn: string | undefined;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** `true` for node_modules and node internals, whose paths are not in the workspace. */
  readonly external?: boolean;
}

const JEST_CIRCUS: readonly Frame[] = [
  { fn: "Promise.then.completed", file: "node_modules/jest-circus/build/utils.js", line: 298, column: 28 },
  { fn: "new Promise", file: "<anonymous>", line: 0, column: 0, external: true },
  { fn: "callAsyncCircusFn", file: "node_modules/jest-circus/build/utils.js", line: 231, column: 10 },
  { fn: "_callCircusTest", file: "node_modules/jest-circus/build/run.js", line: 316, column: 40 },
  { fn: "processTicksAndRejections", file: "node:internal/process/task_queues", line: 95, column: 5, external: true },
  { fn: "_runTest", file: "node_modules/jest-circus/build/run.js", line: 252, column: 3 },
  { fn: "_runTestsForDescribeBlock", file: "node_modules/jest-circus/build/run.js", line: 126, column: 9 },
  { fn: "_runTestsForDescribeBlock", file: "node_modules/jest-circus/build/run.js", line: 121, column: 9 },
  { fn: "run", file: "node_modules/jest-circus/build/run.js", line: 71, column: 3 },
];

function jestFrame(o: Occurrence, frame: Frame): string {
  if (frame.file === "<anonymous>") return `    at ${frame.fn ?? "<anonymous>"} (<anonymous>)`;
  const where =
    frame.external === true
      ? `${frame.file}:${frame.line}:${frame.column}`
      : `${o.runner.workspace}/${frame.file}:${frame.line}:${frame.column}`;
  return frame.fn === undefined ? `    at ${where}` : `    at ${frame.fn} (${where})`;
}

function vitestFrame(frame: Frame): string {
  return ` ❯ ${frame.fn === undefined ? "" : `${frame.fn} `}${frame.file}:${frame.line}:${frame.column}`;
}

/** The frame of the test's own statement `offset` lines into the test. */
function testFrame(o: Occurrence, offset: number, column: number): Frame {
  return {
    fn: "Object.<anonymous>",
    file: o.test.file,
    line: lineAt(o.test.file, o.test.line + offset, o.revision),
    column,
  };
}

/** A frame in production code at `site`, `offset` lines into the method. */
function siteFrame(o: Occurrence, site: CodeSite, offset: number): Frame {
  return {
    fn: `${site.unit.name}.${site.method.name}`,
    file: site.unit.file,
    line: lineAt(site.unit.file, site.method.line + offset, o.revision),
    column: site.method.column,
  };
}

/** The whole stack as the runner prints it under the headline. */
function stack(runner: NodeRunner, o: Occurrence, frames: readonly Frame[]): string {
  if (runner === "jest") return [...frames, ...JEST_CIRCUS].map((f) => jestFrame(o, f)).join("\n");
  // Vitest keeps only frames outside its own runner, with paths relative to the root.
  return frames
    .filter((f) => f.file !== "<anonymous>" && !f.file.startsWith("node:"))
    .map((f) => vitestFrame(f.fn === "Object.<anonymous>" ? { ...f, fn: undefined } : f))
    .join("\n");
}

/** An assertion failure at the test's own statement. */
function assertionFailure(runner: NodeRunner, o: Occurrence, assertion: Assertion, frames: readonly Frame[]) {
  if (runner === "jest") {
    const text = jestAssertion(assertion);
    return {
      element: "failure" as const,
      type: undefined,
      message: `Error: ${text.split("\n", 1)[0] ?? ""}`,
      body: `Error: ${text}\n${stack(runner, o, frames)}`,
    };
  }
  const { message, diff } = vitestAssertion(assertion);
  return {
    element: "failure" as const,
    type: "AssertionError",
    message,
    body: `AssertionError: ${message}${diff === "" ? "" : `\n\n${diff}`}\n\n${stack(runner, o, frames)}`,
  };
}

/** An exception (`TypeError: ...`) with its stack. */
function thrown(
  runner: NodeRunner,
  o: Occurrence,
  type: string,
  message: string,
  frames: readonly Frame[],
  stdout?: string,
) {
  return {
    element: "error" as const,
    type: runner === "jest" ? undefined : type,
    message: runner === "jest" ? `${type}: ${message.split("\n", 1)[0] ?? ""}` : (message.split("\n", 1)[0] ?? ""),
    body: `${type}: ${message}\n${stack(runner, o, frames)}`,
    ...(stdout === undefined ? {} : { stdout }),
  };
}

const STATUSES = ["paid", "pending", "refunded", "captured", "failed", "shipped", "draft", "void"];
const EVENTS = [
  "order.created",
  "order.updated",
  "invoice.finalized",
  "payment.captured",
  "refund.issued",
  "cart.merged",
];
const PROPERTIES = ["rate", "id", "currency", "items", "total", "customerId", "region", "lines", "price", "amount"];
const ERROR_MESSAGES = [
  "coupon has expired",
  "coupon not found",
  "insufficient stock",
  "invoice is already finalized",
  "currency mismatch",
  "amount must be positive",
  "tenant is suspended",
];

/** A failing assertion a regression causes, fixed per cause; varying parts come from the occurrence. */
function regressionAssertion(random: Random): (o: Occurrence) => Assertion {
  const variant = random.int(0, 5);
  const base = Number(amount(random, 20, 400));
  const factor = random.pick([0.9, 0.8, 1.1, 1.19, 0.5]);
  const [expectedStatus, receivedStatus] = random.sample(STATUSES, 2) as [string, string];
  const [expectedEvent, receivedEvent] = random.sample(EVENTS, 2) as [string, string];
  const [expectedError, receivedError] = random.sample(ERROR_MESSAGES, 2) as [string, string];
  const key = random.pick(["status", "state", "phase"]);
  return (o) => {
    // Each test asserts on its own fixture, so values differ between tests but not between runs.
    const total = Math.round(base * o.stable.between(0.5, 2) * 100) / 100;
    switch (variant) {
      case 0:
        return { matcher: "toBe", expected: total, received: Math.round(total * factor * 100) / 100 };
      case 1:
        return {
          matcher: "toEqual",
          fields: [
            { key: "currency", expected: "EUR", received: "EUR" },
            { key, expected: expectedStatus, received: receivedStatus },
            { key: "total", expected: total, received: total },
          ],
        };
      case 2:
        return {
          matcher: "toHaveBeenCalledWith",
          expected: expectedEvent,
          received: receivedEvent,
          id: prefixedId(o.random, "ord"),
        };
      case 3:
        return { matcher: "toThrow", expected: expectedError, received: receivedError };
      case 4:
        return { matcher: "toBe", expected: 200, received: random.pick([500, 422, 409, 404]) };
      default:
        return {
          matcher: "toContain",
          expected: prefixedId(o.stable, "sku"),
          items: [prefixedId(o.stable, "sku"), prefixedId(o.stable, "sku")],
        };
    }
  };
}

function nodeTexts(runner: NodeRunner): FrameworkTexts {
  return {
    regression(random, site) {
      const offset = random.int(2, 14);
      const column = random.int(18, 40);
      const siteOffset = random.int(1, 20);
      if (random.chance(0.35)) {
        // The bug throws from product code: the top frames are the product's, not the test's.
        const property = random.pick(PROPERTIES);
        const type = random.pick(["TypeError", "TypeError", "RangeError"]);
        const message =
          type === "RangeError" ? "Invalid time value" : `Cannot read properties of undefined (reading '${property}')`;
        return {
          summary: `${type} thrown from ${site.unit.name}.${site.method.name}`,
          render: (o) =>
            thrown(runner, o, type, message, [
              siteFrame(o, site, siteOffset),
              ...(o.test.subject.unit === site.unit ? [] : [siteFrame(o, o.test.subject, random.int(1, 9))]),
              testFrame(o, offset, column),
            ]),
        };
      }
      const assertion = regressionAssertion(random);
      return {
        summary: `${site.unit.name}.${site.method.name} returns a wrong value`,
        render: (o) => assertionFailure(runner, o, assertion(o), [testFrame(o, offset, column)]),
      };
    },

    flaky(random, site) {
      const variant = random.int(0, 4);
      const offset = random.int(2, 14);
      const column = random.int(18, 40);
      const helper = `test/support/${random.pick(["server", "fixtures", "clock", "events"])}.ts`;
      const summaries = [
        "events arrive after the assertion (no wait for the outbox)",
        "the result depends on the wall clock crossing midnight",
        "test servers race for the same port",
        "a spy counts a retried call",
        "a log line after the test is done",
      ];
      return {
        summary: summaries[variant] ?? "a race",
        render: (o) => {
          const frames = [testFrame(o, offset, column)];
          switch (variant) {
            case 0: {
              const expected = o.stable.int(3, 5);
              const items = Array.from({ length: expected - o.random.int(1, 2) }, () => prefixedId(o.random, "evt"));
              return assertionFailure(runner, o, { matcher: "toHaveLength", expected, items }, frames);
            }
            case 1: {
              const day = new Date(o.startedAt);
              const next = new Date(o.startedAt + 86_400_000);
              return assertionFailure(
                runner,
                o,
                {
                  matcher: "toBe",
                  expected: isoAt(day.getTime()).slice(0, 10),
                  received: isoAt(next.getTime()).slice(0, 10),
                },
                frames,
              );
            }
            case 2:
              return thrown(
                runner,
                o,
                "Error",
                `listen EADDRINUSE: address already in use :::${ephemeralPort(o.random)}`,
                [
                  {
                    fn: "Server.setupListenHandle [as _listen2]",
                    file: "node:net",
                    line: 1908,
                    column: 16,
                    external: true,
                  },
                  { fn: "listenInCluster", file: "node:net", line: 1965, column: 12, external: true },
                  { fn: "Server.listen", file: "node:net", line: 2067, column: 7, external: true },
                  {
                    fn: "startTestServer",
                    file: `${site.unit.file.replace(/\/src\/.*$/, "")}/${helper}`,
                    line: 18,
                    column: 10,
                  },
                  ...frames,
                ],
              );
            case 3:
              return assertionFailure(
                runner,
                o,
                { matcher: "toHaveBeenCalledTimes", expected: 1, received: 2 },
                frames,
              );
            default:
              return thrown(
                runner,
                o,
                "Error",
                `Cannot log after tests are done. Did you forget to wait for something async in your test?\n    Attempted to log "Flushed outbox batch ${o.random.int(1, 900)} (${o.random.int(2, 40)} events)".`,
                [
                  {
                    fn: "console.log",
                    file: "node_modules/@jest/console/build/CustomConsole.js",
                    line: 141,
                    column: 10,
                  },
                  siteFrame(o, site, 4),
                ],
              );
          }
        },
      };
    },

    timeout(random, limitMs) {
      const hook = random.chance(0.25);
      const column = 3;
      return {
        summary: `${hook ? "a hook" : "the test"} exceeds the ${limitMs} ms timeout`,
        render: (o) => {
          const frame = {
            fn: hook ? "beforeEach" : o.stable.chance(0.6) ? "it" : "test",
            file: o.test.file,
            line: lineAt(o.test.file, o.test.line, o.revision),
            column,
          };
          if (runner === "jest") {
            const text = `thrown: "Exceeded timeout of ${limitMs} ms for a ${hook ? "hook" : "test"}.\nAdd a timeout value to this test to increase the timeout, if this is a long-running test. See https://jestjs.io/docs/api#testname-fn-timeout."`;
            return {
              element: "failure",
              type: undefined,
              message: text.split("\n", 1)[0] ?? text,
              body: `${text}\n${stack(runner, o, [frame, { fn: "_dispatchDescribe", file: "node_modules/jest-circus/build/index.js", line: 91, column: 26 }])}`,
            };
          }
          const message = `${hook ? "Hook" : "Test"} timed out in ${limitMs}ms.`;
          return {
            element: "error",
            type: "Error",
            message,
            body: `Error: ${message}\nIf this is a long-running test, pass a timeout value as the last argument or configure it globally with "${hook ? "hookTimeout" : "testTimeout"}".\n${stack(runner, o, [{ ...frame, fn: undefined }])}`,
          };
        },
      };
    },

    testBug(random) {
      const variant = random.int(0, 3);
      const offset = random.int(2, 14);
      const column = random.int(10, 40);
      const property = random.pick(PROPERTIES);
      const fixture = random.pick(["buildOrder", "makeCustomer", "createInvoice", "seedCart", "mockSession"]);
      const variable = random.pick(["mockUser", "fixtureOrder", "tenantId", "server", "clock"]);
      const [type, message, summary] = [
        [
          "TypeError",
          `Cannot read properties of undefined (reading '${property}')`,
          `the test reads ${property} of undefined`,
        ],
        ["ReferenceError", `${variable} is not defined`, `the test uses ${variable} before defining it`],
        [
          "TypeError",
          `(0 , _fixtures.${fixture}) is not a function`,
          `the test imports a fixture that no longer exists`,
        ],
        ["TypeError", `${variable}.mockResolvedValue is not a function`, "the test mocks a value that is not a mock"],
      ][variant] as [string, string, string];
      return { summary, render: (o) => thrown(runner, o, type, message, [testFrame(o, offset, column)]) };
    },

    environment(random, kind) {
      return nodeEnvironment(runner, random, kind);
    },

    infrastructure(fault) {
      return nodeInfrastructure(runner, fault);
    },
  };
}

function nodeEnvironment(runner: NodeRunner, random: Random, kind: EnvironmentKind): CauseText {
  switch (kind) {
    case "missing-module": {
      const module = random.pick(["@acme/feature-flags", "@acme/money", "sharp", "canvas", "@acme/design-tokens"]);
      return {
        summary: `module ${module} is not installed on the runner`,
        render: (o) => {
          const importer = o.test.subject.unit.file;
          if (runner === "jest")
            return {
              element: "error",
              type: undefined,
              message: `Cannot find module '${module}' from '${importer}'`,
              body: `Cannot find module '${module}' from '${importer}'\n\nRequire stack:\n  ${importer}\n  ${o.test.file}\n\n${jestFrame(o, { fn: "Resolver._throwModNotFoundError", file: "node_modules/jest-resolve/build/resolver.js", line: 427, column: 11 })}\n${jestFrame(o, { fn: "Object.<anonymous>", file: importer, line: 3, column: 1 })}`,
            };
          const message = `Failed to load url ${module} (resolved id: ${module}) in ${o.runner.workspace}/${importer}. Does the file exist?`;
          return {
            element: "error",
            type: "Error",
            message,
            body: `Error: ${message}\n ❯ loadAndTransform node_modules/vite/dist/node/chunks/dep-CDnG8rE7.js:51969:17`,
          };
        },
      };
    }
    case "missing-binary": {
      const binary = random.pick(["convert", "pdftotext", "ffmpeg", "git-lfs", "chromium"]);
      return {
        summary: `binary ${binary} is missing from the runner`,
        render: (o) =>
          thrown(
            runner,
            o,
            "Error",
            `spawn ${binary} ENOENT`,
            [
              {
                fn: "ChildProcess._handle.onexit",
                file: "node:internal/child_process",
                line: 286,
                column: 19,
                external: true,
              },
              { fn: "onErrorNT", file: "node:internal/child_process", line: 484, column: 16, external: true },
              siteFrame(o, o.test.subject, 6),
            ],
            `${isoAt(o.startedAt)} error spawning ${binary}: errno -2, code: 'ENOENT', syscall: 'spawn ${binary}', path: '${binary}', spawnargs: [ '-density', '${o.random.int(72, 300)}' ]`,
          ),
      };
    }
    case "missing-env-var": {
      const variable = random.pick([
        "STRIPE_SECRET_KEY",
        "DATABASE_URL",
        "ACME_API_TOKEN",
        "SENTRY_DSN",
        "JWT_PUBLIC_KEY",
      ]);
      const config = random.pick(["src/config.ts", "src/env.ts"]);
      return {
        summary: `environment variable ${variable} is not set on the runner`,
        render: (o) => {
          const root = o.test.subject.unit.file.replace(/\/src\/.*$/, "");
          return thrown(runner, o, "Error", `Missing required environment variable ${variable}`, [
            { fn: "requireEnv", file: `${root}/${config}`, line: 14, column: 11 },
            { fn: "Object.<anonymous>", file: `${root}/${config}`, line: 31, column: 22 },
            { fn: "Object.<anonymous>", file: o.test.file, line: 4, column: 1 },
          ]);
        },
      };
    }
  }
}

const CLIENT_FRAMES: Readonly<Record<string, readonly Frame[]>> = {
  postgres: [{ fn: undefined, file: "node_modules/pg-pool/index.js", line: 45, column: 11 }],
  redis: [{ fn: "Socket.<anonymous>", file: "node_modules/ioredis/built/Redis.js", line: 170, column: 41 }],
  kafka: [{ fn: "Socket.onError", file: "node_modules/kafkajs/src/network/connection.js", line: 210, column: 23 }],
  "payments-api": [
    { fn: "ClientRequest.<anonymous>", file: "node_modules/node-fetch/lib/index.js", line: 1505, column: 11 },
  ],
  app: [{ fn: "ClientRequest.<anonymous>", file: "node_modules/supertest/lib/test.js", line: 80, column: 16 }],
};

function nodeInfrastructure(runner: NodeRunner, fault: InfrastructureFault): Renderer {
  switch (fault.kind) {
    case "connection-refused":
      return (o) => {
        const client = CLIENT_FRAMES[fault.service] ?? [];
        const message =
          fault.service === "kafka"
            ? `Connection error: connect ECONNREFUSED ${fault.ip}:${fault.port}`
            : fault.service === "payments-api"
              ? `request to https://${fault.host}/v1/charges failed, reason: connect ECONNREFUSED ${fault.ip}:${fault.port}`
              : `connect ECONNREFUSED ${fault.ip}:${fault.port}`;
        const type =
          fault.service === "kafka"
            ? "KafkaJSConnectionError"
            : fault.service === "payments-api"
              ? "FetchError"
              : "Error";
        return thrown(
          runner,
          o,
          type,
          message,
          [
            {
              fn: "TCPConnectWrap.afterConnect [as oncomplete]",
              file: "node:net",
              line: 1611,
              column: 16,
              external: true,
            },
            ...client,
            siteFrame(o, o.test.subject, 3),
          ],
          `${isoAt(o.startedAt - o.random.int(50, 900))} WARN  [pool] connection to ${fault.host}:${fault.port} failed (attempt ${o.random.int(1, 3)}/3), retrying in ${o.random.int(100, 800)}ms`,
        );
      };
    case "dns":
      return (o) =>
        thrown(runner, o, "Error", `getaddrinfo ${o.random.chance(0.7) ? "ENOTFOUND" : "EAI_AGAIN"} ${fault.host}`, [
          {
            fn: "GetAddrInfoReqWrap.onlookup [as oncomplete]",
            file: "node:dns",
            line: 120,
            column: 26,
            external: true,
          },
          ...(CLIENT_FRAMES[fault.service] ?? []),
          siteFrame(o, o.test.subject, 3),
        ]);
    case "oom-killed":
      return (o) => {
        if (runner === "jest") {
          const message = `A jest worker process (pid=${pid(o.random)}) was terminated by another process: signal=SIGKILL, exitCode=null. Operating system logs may contain more information on why this occurred.`;
          return {
            element: "error",
            type: undefined,
            message,
            body: `${message}\n\n${[
              {
                fn: "ChildProcessWorker._onExit",
                file: "node_modules/jest-worker/build/workers/ChildProcessWorker.js",
                line: 370,
                column: 23,
              },
              { fn: "ChildProcess.emit", file: "node:events", line: 519, column: 28, external: true },
              {
                fn: "ChildProcess._handle.onexit",
                file: "node:internal/child_process",
                line: 294,
                column: 12,
                external: true,
              },
            ]
              .map((f) => jestFrame(o, f))
              .join("\n")}`,
          };
        }
        return {
          element: "error",
          type: "Error",
          message: "Worker exited unexpectedly",
          body: `Error: Worker exited unexpectedly\n ❯ ChildProcess.<anonymous> node_modules/tinypool/dist/index.js:140:34\n\nCaused by: Error: [vitest-pool]: Worker forks emitted error.\n\nThis error originated in "${o.test.file}" test file. It doesn't mean the error was thrown inside the file itself, but while it was running.\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory (pid ${pid(o.random)})`,
        };
      };
    case "disk-full":
      return (o) =>
        thrown(
          runner,
          o,
          "Error",
          `ENOSPC: no space left on device, write '${fault.mount}/${runner === "jest" ? "jest_rs" : "vitest"}/${o.random.hex(8)}/${o.random.pick(["cache", "export.csv", "snapshot.json", "upload.bin"])}'`,
          [
            { fn: "Object.writeFileSync", file: "node:fs", line: 2415, column: 26, external: true },
            siteFrame(o, o.test.subject, 5),
          ],
        );
  }
}

/** Jest's failure texts. */
export const jestTexts: FrameworkTexts = nodeTexts("jest");

/** Vitest's failure texts. */
export const vitestTexts: FrameworkTexts = nodeTexts("vitest");
