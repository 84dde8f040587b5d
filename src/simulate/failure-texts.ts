import type { FrameworkTexts } from "./failure-text.js";
import { xunitTexts } from "./failure-texts-dotnet.js";
import { goTexts } from "./failure-texts-go.js";
import { javaTexts } from "./failure-texts-java.js";
import { jestTexts, vitestTexts } from "./failure-texts-node.js";
import { playwrightTexts } from "./failure-texts-playwright.js";
import { pytestTexts } from "./failure-texts-python.js";
import type { Framework } from "./frameworks.js";

/** The failure texts of every framework: how its tests fail, by category. */
export const FAILURE_TEXTS: Readonly<Record<Framework, FrameworkTexts>> = {
  jest: jestTexts,
  vitest: vitestTexts,
  playwright: playwrightTexts,
  junit5: javaTexts,
  pytest: pytestTexts,
  "go-test": goTexts,
  xunit: xunitTexts,
};
