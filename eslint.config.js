import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Import boundaries of ARCHITECTURE.md: what each layer may not import. */
const layer = (files, forbidden, message) => ({
  files,
  rules: {
    "no-restricted-imports": [
      "error",
      { patterns: [{ group: forbidden.flatMap((dir) => [`**/${dir}/*`, `**/${dir}`]), message }] },
    ],
  },
});

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "coverage/**",
      "node_modules/**",
      "reports/**",
      ".tmp/**",
      "bench/.data/**",
      "docs/.vitepress/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["*.js", "bench/*.mjs"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "no-console": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      "@typescript-eslint/no-unnecessary-condition": "off",
      "@typescript-eslint/no-confusing-void-expression": "off",
      "@typescript-eslint/no-invalid-void-type": "off",
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  { files: ["src/cli/**", "bench/**", "tests/**"], rules: { "no-console": "off" } },
  { files: ["**/*.js", "**/*.mjs"], ...tseslint.configs.disableTypeChecked },
  layer(
    ["src/domain/**"],
    [
      "analysis",
      "tuning",
      "gate",
      "ingest",
      "store",
      "notify",
      "metrics",
      "server",
      "cli",
      "config",
      "reporters",
      "web",
    ],
    "domain/ depends on nothing: it is the shared model",
  ),
  layer(
    ["src/analysis/**", "src/tuning/**", "src/gate/**"],
    ["ingest", "store", "notify", "metrics", "server", "cli"],
    "analysis/, tuning/ and gate/ are pure: they depend on domain/ only",
  ),
  layer(
    ["src/ingest/**", "src/store/**", "src/notify/**", "src/metrics/**"],
    ["server", "cli"],
    "adapters never import the shells (server/, cli/)",
  ),
  layer(
    ["src/reporters/**", "src/web/**", "src/contract/**"],
    ["analysis", "tuning", "gate", "ingest", "store", "notify", "metrics", "server", "cli", "config"],
    "reporters/ and web/ import only domain/ and contract/",
  ),
);
