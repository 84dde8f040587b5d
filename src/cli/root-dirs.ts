import { resolve } from "node:path";
import type { CommandContext } from "./context.js";

/** Environment variables that hold the CI checkout directory, stripped from test file paths. */
const WORKSPACE_VARIABLES = [
  "GITHUB_WORKSPACE",
  "CI_PROJECT_DIR",
  "CIRCLE_WORKING_DIRECTORY",
  "BUILDKITE_BUILD_CHECKOUT_PATH",
  "WORKSPACE",
  "BUILD_SOURCESDIRECTORY",
];

/** The directories stripped from test file paths: `--root` flags, the CI workspace, the working directory. */
export function rootDirsOf(context: CommandContext, extra: readonly string[]): string[] {
  const fromEnv = WORKSPACE_VARIABLES.map((name) => context.env[name]).filter(
    (dir): dir is string => dir !== undefined && dir !== "",
  );
  return [...extra.map((dir) => resolve(context.cwd, dir)), ...fromEnv, context.cwd];
}
