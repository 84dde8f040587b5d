import type { CauseText, FrameworkTexts, InfrastructureFault, Occurrence, Renderer } from "./failure-text.js";
import { indent } from "./failure-text.js";
import type { Random } from "./prng.js";
import { amount, isoAt, lineAt, pid } from "./varying-values.js";

/** A locator, the source statement that uses it, and the API call it makes. */
interface Step {
  readonly locator: string;
  readonly statement: string;
  /** `locator.click` or `expect(locator).toBeVisible`: how Playwright names the call in an error. */
  readonly action?: string;
}

const BUTTONS = ["Place order", "Add to cart", "Continue", "Save changes", "Apply", "Sign in", "Pay now", "Confirm"];
const TEXTS = [
  "Order confirmed",
  "Payment received",
  "Welcome back",
  "Changes saved",
  "Refund requested",
  "Invitation sent",
];
const TEST_IDS = ["checkout-submit", "order-row", "cart-total", "coupon-input", "address-form", "toast"];

/** A click on a button or a test id. */
function clickStepOf(random: Random): Step {
  if (random.chance(0.5)) {
    const name = random.pick(BUTTONS);
    return {
      locator: `getByRole('button', { name: '${name}' })`,
      statement: `await page.getByRole('button', { name: '${name}' }).click();`,
      action: "locator.click",
    };
  }
  const id = random.pick(TEST_IDS);
  return {
    locator: `getByTestId('${id}')`,
    statement: `await page.getByTestId('${id}').click();`,
    action: "locator.click",
  };
}

/** A click, or a web-first assertion that a text is visible. */
function stepOf(random: Random): Step {
  if (random.chance(0.6)) return clickStepOf(random);
  const text = random.pick(TEXTS);
  return {
    locator: `getByText('${text}')`,
    statement: `await expect(page.getByText('${text}')).toBeVisible();`,
    action: "expect(locator).toBeVisible",
  };
}

/** Playwright's code frame: the failing statement with two lines of context and a caret. */
function codeFrame(line: number, column: number, statement: string): string {
  const width = String(line + 2).length;
  const row = (n: number, text: string, mark = " ") => `${mark} ${String(n).padStart(width)} | ${text}`.trimEnd();
  return [
    row(line - 2, "    await page.waitForLoadState('networkidle');"),
    row(line - 1, ""),
    row(line, `    ${statement}`, ">"),
    `  ${" ".repeat(width)} | ${" ".repeat(column - 1)}^`,
    row(line + 1, "  });"),
  ].join("\n");
}

/** Where Playwright keeps a failed test's artifacts: a slug of the title, a hash, the project and the retry. */
function artifactDir(o: Occurrence): string {
  const slug =
    `${o.test.suite.replace(/\.spec\.ts$/, "").replace(/[/.]/g, "-")}-${o.test.name.replace(/[^A-Za-z0-9]+/g, "-")}`.slice(
      0,
      60,
    );
  return `test-results/${slug}-${o.random.hex(5)}-chromium${o.attempt > 1 ? `-retry${o.attempt - 1}` : ""}`;
}

/**
 * A failure as Playwright's JUnit reporter writes it: the message attribute is only the
 * test's location and title; the body holds the formatted error, the code frame, the
 * location and the attachments.
 */
function report(
  o: Occurrence,
  error: string,
  step: Step | undefined,
  offset: number,
  column: number,
): ReturnType<Renderer> {
  const line = lineAt(o.test.file, o.test.line + offset, o.revision);
  const header = `[chromium] › ${o.test.suite}:${lineAt(o.test.file, o.test.line, o.revision)}:5 › ${o.test.name}${o.attempt > 1 ? ` ─ Retry #${o.attempt - 1}` : ""}`;
  const dir = artifactDir(o);
  const parts = [
    `  ${header} ${"─".repeat(Math.max(4, 96 - header.length))}`,
    "",
    indent(error, "    "),
    ...(step === undefined ? [] : ["", indent(codeFrame(line, column, step.statement), "    ")]),
    "",
    `        at ${o.runner.workspace}/${o.test.file}:${line}:${column}`,
    "",
    `    attachment #1: screenshot (image/png) ${"─".repeat(56)}`,
    `    ${dir}/test-failed-1.png`,
    `    ${"─".repeat(94)}`,
    "",
    `    attachment #2: trace (application/zip) ${"─".repeat(55)}`,
    `    ${dir}/trace.zip`,
    "    Usage:",
    "",
    `        npx playwright show-trace ${dir}/trace.zip`,
    "",
    `    ${"─".repeat(94)}`,
  ];
  return {
    element: "failure",
    type: "FAILURE",
    message: `${o.test.suite}:${lineAt(o.test.file, o.test.line, o.revision)}:5 ${o.test.name}`,
    body: parts.join("\n"),
  };
}

function clickTimeout(o: Occurrence, step: Step, limitMs: number, reason: string): string {
  const tries = o.random.int(1, 9);
  const log = [
    `  - waiting for ${step.locator}`,
    `    - locator resolved to <button type="submit" class="btn btn-primary">…</button>`,
    "  - attempting click action",
  ];
  for (let i = 1; i <= Math.min(tries, 3); i++) {
    log.push(
      "    - waiting for element to be visible, enabled and stable",
      `    - ${reason}`,
      `  - retrying click action, attempt #${i}`,
    );
  }
  if (tries > 3)
    log.push(
      `  - retrying click action${tries > 4 ? `, attempt #${tries}` : ""}`,
      `    - waiting ${o.random.pick([100, 500])}ms`,
    );
  return `Error: locator.click: Timeout ${limitMs}ms exceeded.\nCall log:\n${log.join("\n")}`;
}

/** Playwright failure texts as its JUnit reporter writes them: call logs, code frames, attachments. */
export const playwrightTexts: FrameworkTexts = {
  regression(random) {
    const offset = random.int(3, 16);
    const column = random.int(20, 60);
    const variant = random.int(0, 3);
    const total = amount(random, 20, 300);
    const wrong = amount(random, 20, 300);
    const text = random.pick(TEXTS);
    const id = random.pick(TEST_IDS);
    const summaries = [
      `${id} shows the wrong amount`,
      `"${text}" never appears`,
      "checkout ends on an error page",
      "the API answers 500",
    ];
    return {
      summary: summaries[variant] ?? "a regression",
      render: (o) => {
        switch (variant) {
          case 0:
            return report(
              o,
              `Error: expect(locator).toHaveText(expected) failed\n\nLocator: getByTestId('${id}')\nExpected string: "$${total}"\nReceived string: "$${wrong}"\nTimeout: 5000ms\n\nCall log:\n  - Expect "toHaveText" with timeout 5000ms\n  - waiting for getByTestId('${id}')\n    ${o.random.int(8, 10)} × locator resolved to <span data-testid="${id}">$${wrong}</span>\n      - unexpected value "$${wrong}"`,
              {
                locator: `getByTestId('${id}')`,
                statement: `await expect(page.getByTestId('${id}')).toHaveText('$${total}');`,
              },
              offset,
              column,
            );
          case 1:
            return report(
              o,
              `Error: Timed out 5000ms waiting for expect(locator).toBeVisible()\n\nLocator: getByText('${text}')\nExpected: visible\nReceived: <element(s) not found>\nCall log:\n  - expect.toBeVisible with timeout 5000ms\n  - waiting for getByText('${text}')`,
              { locator: `getByText('${text}')`, statement: `await expect(page.getByText('${text}')).toBeVisible();` },
              offset,
              column,
            );
          case 2:
            return report(
              o,
              `Error: expect(page).toHaveURL(expected) failed\n\nExpected pattern: /\\/orders\\/[a-z0-9]+\\/confirmation/\nReceived string:  "http://localhost:3000/checkout?error=payment_failed&ref=${o.random.hex(12)}"\nTimeout: 5000ms`,
              { locator: "page", statement: "await expect(page).toHaveURL(/\\/orders\\/[a-z0-9]+\\/confirmation/);" },
              offset,
              column,
            );
          default:
            return report(
              o,
              `Error: expect(received).toBe(expected) // Object.is equality\n\nExpected: 201\nReceived: 500`,
              { locator: "response", statement: "expect(response.status()).toBe(201);" },
              offset,
              column,
            );
        }
      },
    };
  },

  flaky(random) {
    const step = clickStepOf(random);
    // The project's actionTimeout, or the test timeout when none is set.
    const actionTimeout = random.pick([10000, 15000, 30000]);
    const offset = random.int(3, 16);
    const column = random.int(20, 60);
    const variant = random.int(0, 2);
    const overlay = random.pick([
      '<div class="toast toast-success">Saved</div> intercepts pointer events',
      '<div class="modal-backdrop fade show"></div> intercepts pointer events',
      "element is not stable",
    ]);
    const summaries = [
      `an overlay covers ${step.locator} for a moment`,
      "the page closes while a locator is read",
      "rows render one by one",
    ];
    return {
      summary: summaries[variant] ?? "a race",
      render: (o) => {
        switch (variant) {
          case 0:
            return report(o, clickTimeout(o, step, actionTimeout, overlay), step, offset, column);
          case 1:
            return report(
              o,
              "Error: locator.textContent: Target page, context or browser has been closed",
              step,
              offset,
              column,
            );
          default: {
            const expected = o.stable.int(3, 6);
            return report(
              o,
              `Error: Timed out 5000ms waiting for expect(locator).toHaveCount(expected)\n\nLocator: getByTestId('order-row')\nExpected: ${expected}\nReceived: ${expected - o.random.int(1, 2)}\nCall log:\n  - expect.toHaveCount with timeout 5000ms\n  - waiting for getByTestId('order-row')\n    ${o.random.int(5, 9)} × locator resolved to ${expected - 1} elements`,
              {
                locator: "getByTestId('order-row')",
                statement: `await expect(page.getByTestId('order-row')).toHaveCount(${expected});`,
              },
              offset,
              column,
            );
          }
        }
      },
    };
  },

  timeout(random, limitMs) {
    const step = stepOf(random);
    const offset = random.int(3, 16);
    const column = random.int(20, 60);
    const waitForUrl = random.chance(0.5);
    return {
      summary: `the test exceeds the ${limitMs} ms test timeout`,
      render: (o) =>
        report(
          o,
          waitForUrl
            ? `Test timeout of ${limitMs}ms exceeded.\n\nError: page.waitForURL: Test timeout of ${limitMs}ms exceeded.\n=========================== logs ===========================\nwaiting for navigation to "**/confirmation" until "load"\n  navigated to "http://localhost:3000/checkout/processing?session=${o.random.hex(16)}"\n============================================================`
            : `Test timeout of ${limitMs}ms exceeded.\n\nError: ${step.action ?? "locator.click"}: Test timeout of ${limitMs}ms exceeded.\nCall log:\n  - waiting for ${step.locator}`,
          waitForUrl ? { locator: "page", statement: "await page.waitForURL('**/confirmation');" } : step,
          offset,
          column,
        ),
    };
  },

  testBug(random) {
    const offset = random.int(3, 16);
    const column = random.int(20, 60);
    const variant = random.int(0, 2);
    const label = random.pick(["Email", "Password", "Card number", "Postcode", "Name"]);
    const summaries = [
      `getByLabel('${label}') matches two inputs`,
      "the test reads textContent of a missing element",
      "the test builds a URL from an undefined base",
    ];
    return {
      summary: summaries[variant] ?? "a test bug",
      render: (o) => {
        switch (variant) {
          case 0:
            return report(
              o,
              `Error: locator.fill: Error: strict mode violation: getByLabel('${label}') resolved to 2 elements:\n    1) <input type="text" id="${label.toLowerCase().replace(/ /g, "-")}" name="${label.toLowerCase()}"/> aka getByRole('textbox', { name: '${label}' })\n    2) <input type="text" id="billing-${label.toLowerCase().replace(/ /g, "-")}"/> aka getByLabel('Billing ${label.toLowerCase()}')\n\nCall log:\n  - waiting for getByLabel('${label}')`,
              {
                locator: `getByLabel('${label}')`,
                statement: `await page.getByLabel('${label}').fill(user.${label.toLowerCase().replace(/ /g, "")});`,
              },
              offset,
              column,
            );
          case 1:
            return report(
              o,
              "TypeError: Cannot read properties of null (reading 'textContent')",
              { locator: "row", statement: "const total = (await row.elementHandle())!.textContent;" },
              offset,
              column,
            );
          default:
            return report(
              o,
              `Error: page.goto: Protocol error (Page.navigate): Cannot navigate to invalid URL\nCall log:\n  - navigating to "undefined/account/orders?page=${o.random.int(1, 5)}", waiting until "load"`,
              {
                locator: "page",
                statement: "await page.goto(`${process.env.STORE_URL}/account/orders?page=${page}`);",
              },
              offset,
              column,
            );
        }
      },
    };
  },

  environment(random, kind): CauseText {
    const build = random.int(1100, 1160);
    const variable = random.pick(["E2E_ADMIN_PASSWORD", "STORE_URL", "E2E_CARD_TOKEN"]);
    const module = random.pick(["@acme/test-fixtures", "@faker-js/faker", "dotenv"]);
    return {
      summary:
        kind === "missing-binary"
          ? `the Chromium ${build} build is missing from the runner image`
          : kind === "missing-module"
            ? `module ${module} is not installed for the e2e suite`
            : `environment variable ${variable} is not set`,
      render: (o) => {
        if (kind === "missing-binary") {
          const box = [
            "╔═════════════════════════════════════════════════════════════════════════╗",
            "║ Looks like Playwright Test or Playwright was just installed or updated. ║",
            "║ Please run the following command to download new browsers:              ║",
            "║                                                                         ║",
            "║     npx playwright install                                              ║",
            "║                                                                         ║",
            "║ <3 Playwright Team                                                      ║",
            "╚═════════════════════════════════════════════════════════════════════════╝",
          ].join("\n");
          return report(
            o,
            `Error: browserType.launch: Executable doesn't exist at /ms-playwright/chromium-${build}/chrome-linux/chrome\n${box}`,
            undefined,
            0,
            1,
          );
        }
        if (kind === "missing-module")
          return report(
            o,
            `Error: Cannot find module '${module}'\nRequire stack:\n- ${o.runner.workspace}/e2e/fixtures/index.ts\n- ${o.runner.workspace}/${o.test.file}`,
            undefined,
            0,
            1,
          );
        return report(
          o,
          `Error: Missing ${variable} in the environment: set it in the CI secrets\n\n   at requireEnv (${o.runner.workspace}/e2e/fixtures/env.ts:9:11)`,
          undefined,
          0,
          1,
        );
      },
    };
  },

  infrastructure(fault: InfrastructureFault): Renderer {
    switch (fault.kind) {
      case "connection-refused":
        return (o) =>
          fault.service === "app"
            ? report(
                o,
                `Error: page.goto: net::ERR_CONNECTION_REFUSED at http://localhost:${fault.port}/${o.test.component}\nCall log:\n  - navigating to "http://localhost:${fault.port}/${o.test.component}", waiting until "load"`,
                { locator: "page", statement: `await page.goto('/${o.test.component}');` },
                1,
                16,
              )
            : report(
                o,
                `Error: connect ECONNREFUSED ${fault.ip}:${fault.port}\n\n   at ../fixtures/db.ts:${o.random.int(12, 14)}\n\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)\n    at seedDatabase (${o.runner.workspace}/e2e/fixtures/db.ts:14:11)`,
                undefined,
                0,
                1,
              );
      case "dns":
        return (o) =>
          report(
            o,
            `Error: page.goto: net::ERR_NAME_NOT_RESOLVED at https://${fault.host}/${o.test.component}\nCall log:\n  - navigating to "https://${fault.host}/${o.test.component}", waiting until "load"`,
            { locator: "page", statement: `await page.goto('/${o.test.component}');` },
            1,
            16,
          );
      case "oom-killed":
        return (o) =>
          report(
            o,
            `Error: page.goto: Target page, context or browser has been closed\nBrowser logs:\n\n<launching> /ms-playwright/chromium-1140/chrome-linux/chrome --disable-field-trial-config --headless --no-sandbox\n<launched> pid=${pid(o.random)}\n[pid=${pid(o.random)}][err] [${isoAt(o.startedAt).slice(11, 23)}:ERROR:oom_kill_helper.cc(42)] renderer process was killed: out of memory\n[pid=${pid(o.random)}] <process did exit: exitCode=null, signal=SIGKILL>`,
            undefined,
            0,
            1,
          );
      case "disk-full":
        return (o) =>
          report(
            o,
            `Error: ENOSPC: no space left on device, open '${o.runner.workspace}/test-results/.playwright-artifacts-${o.random.int(0, 3)}/${o.random.hex(32)}.webm'`,
            undefined,
            0,
            1,
          );
    }
  },
};
