import type { Framework } from "./frameworks.js";
import { camelCase, kebabCase, pascalCase, snakeCase } from "./identifiers.js";

/** A function or method of production code, where a stack frame can point. */
export interface ProductionMethod {
  /** Its name as the language spells it (`applyDiscount`, `apply_discount`, `ApplyDiscount`). */
  readonly name: string;
  /** The line it is defined on; failing statements sit a few lines below. */
  readonly line: number;
  /** The column stack frames point at. */
  readonly column: number;
}

/** A class or module of production code. */
export interface ProductionUnit {
  /** The type or module name as the language spells it (`InvoiceCalculator`, `invoice_calculator`). */
  readonly name: string;
  /**
   * The name frames qualify it with: the Java class or .NET type with its package or namespace,
   * the Python module, the Go package path, or just the class name in TypeScript.
   */
  readonly qualified: string;
  /** Repository-relative source file. */
  readonly file: string;
  /** Its methods. */
  readonly methods: readonly ProductionMethod[];
}

/** One method of one unit: the place a failure is thrown from. */
export interface CodeSite {
  readonly unit: ProductionUnit;
  readonly method: ProductionMethod;
}

/** Where a test lives, as its report names it. */
export interface TestLocation {
  /** The suite: the `<testsuite>` name and the testcase's `classname`. */
  readonly suite: string;
  /** Repository-relative test file. */
  readonly file: string;
  /** The test function as stack frames name it (a Java method, a Go test function, a pytest function). */
  readonly testFunction: string;
}

/** What a test name is built from. */
export interface TestNameParts {
  /** What the test checks ("returns the cached value"). */
  readonly outcome: string;
  /** When, or `undefined` for a test without a condition. */
  readonly condition: string | undefined;
  /** The unit under test, as a phrase ("invoice calculator"). */
  readonly unit: string;
  /** The method under test, as the language names it (for Playwright: the `describe` title). */
  readonly method: string;
  /** A parameter set for parameterized tests, or `undefined`. */
  readonly parameters: readonly string[] | undefined;
  /** 1-based index of the parameter set. */
  readonly parameterIndex: number;
}

/** The naming conventions of one runner and its language: paths, suites and test names. */
export interface SourceLayout {
  /** The production unit named by `phrase` ("invoice calculator") in `component`. */
  unit(component: string, phrase: string, methods: readonly ProductionMethod[]): ProductionUnit;
  /** The method name for a verb phrase ("apply discount"). */
  methodName(phrase: string): string;
  /** Where the tests of `unit` live; `integration` picks the integration-test flavour (Java's `*IT`). */
  testLocation(component: string, phrase: string, integration: boolean): Omit<TestLocation, "testFunction">;
  /** A test's name, and the function stack frames name it by. */
  testName(parts: TestNameParts, location: Omit<TestLocation, "testFunction">): { name: string; testFunction: string };
}

const sentence = (parts: TestNameParts): string =>
  parts.condition === undefined ? parts.outcome : `${parts.outcome} when ${parts.condition}`;

function nodeLayout(root: string, subdir: string): SourceLayout {
  return {
    unit: (component, phrase, methods) => ({
      name: pascalCase(phrase),
      qualified: pascalCase(phrase),
      file: `${root}/${component}/src/${subdir}${kebabCase(phrase)}.ts`,
      methods,
    }),
    methodName: camelCase,
    testLocation: (component, phrase) => ({
      suite: pascalCase(phrase),
      file: `${root}/${component}/src/${subdir}${kebabCase(phrase)}.test.ts`,
    }),
    testName: (parts, location) => {
      const base = sentence(parts);
      const name =
        parts.parameters === undefined ? base : `${base} (${parts.parameters.join(", ")})`.replace(/ \(\)$/, "");
      // Jest and Vitest nest `describe(method)` inside `describe(Class)`: the suite path says so.
      return { name: `${parts.method} › ${name}`, testFunction: location.suite };
    },
  };
}

const playwrightLayout: SourceLayout = {
  unit: (_component, phrase, methods) => ({
    name: `${pascalCase(phrase)}Page`,
    qualified: `${pascalCase(phrase)}Page`,
    file: `e2e/pages/${kebabCase(phrase)}-page.ts`,
    methods,
  }),
  methodName: camelCase,
  testLocation: (component, phrase) => ({
    suite: `${component}/${kebabCase(phrase)}.spec.ts`,
    file: `e2e/tests/${component}/${kebabCase(phrase)}.spec.ts`,
  }),
  testName: (parts, location) => ({
    // Playwright's JUnit reporter names a test by its describe titles and title, joined by " › ".
    name: `${parts.method} › ${parts.outcome}${parts.condition === undefined ? "" : ` ${parts.condition}`}`,
    testFunction: location.suite,
  }),
};

const javaLayout: SourceLayout = {
  unit: (component, phrase, methods) => {
    const pkg = `com.acme.${component}.${snakeCase(phrase).split("_")[0] ?? component}`;
    return {
      name: pascalCase(phrase),
      qualified: `${pkg}.${pascalCase(phrase)}`,
      file: `services/${component}/src/main/java/${pkg.replace(/\./g, "/")}/${pascalCase(phrase)}.java`,
      methods,
    };
  },
  methodName: camelCase,
  testLocation: (component, phrase, integration) => {
    const pkg = `com.acme.${component}.${snakeCase(phrase).split("_")[0] ?? component}`;
    const cls = `${pascalCase(phrase)}${integration ? "IT" : "Test"}`;
    return {
      suite: `${pkg}.${cls}`,
      file: `services/${component}/src/test/java/${pkg.replace(/\./g, "/")}/${cls}.java`,
    };
  },
  testName: (parts) => {
    const method = camelCase(sentence(parts));
    // Surefire names a parameterized JUnit 5 invocation `method(ParamTypes)[n]`.
    const name =
      parts.parameters === undefined
        ? method
        : `${method}(${parts.parameters.map(javaTypeOf).join(", ")})[${parts.parameterIndex}]`;
    return { name, testFunction: method };
  },
};

function javaTypeOf(value: string): string {
  if (/^-?\d+$/.test(value)) return "int";
  if (/^-?\d+\.\d+$/.test(value)) return "BigDecimal";
  return "String";
}

const pythonLayout: SourceLayout = {
  unit: (component, phrase, methods) => ({
    name: pascalCase(phrase),
    qualified: `acme.${snakeCase(component)}.${snakeCase(phrase)}`,
    file: `src/acme/${snakeCase(component)}/${snakeCase(phrase)}.py`,
    methods,
  }),
  methodName: snakeCase,
  testLocation: (component, phrase, integration) => {
    const dir = integration ? "integration" : "unit";
    return {
      suite: `tests.${dir}.${snakeCase(component)}.test_${snakeCase(phrase)}`,
      file: `tests/${dir}/${snakeCase(component)}/test_${snakeCase(phrase)}.py`,
    };
  },
  testName: (parts) => {
    const fn = `test_${snakeCase(sentence(parts))}`;
    return { name: parts.parameters === undefined ? fn : `${fn}[${parts.parameters.join("-")}]`, testFunction: fn };
  },
};

const goLayout: SourceLayout = {
  unit: (component, phrase, methods) => ({
    name: pascalCase(phrase),
    qualified: `github.com/acme/platform/internal/${component}`,
    file: `internal/${component}/${snakeCase(phrase)}.go`,
    methods,
  }),
  methodName: pascalCase,
  testLocation: (component, phrase) => ({
    suite: `github.com/acme/platform/internal/${component}`,
    file: `internal/${component}/${snakeCase(phrase)}_test.go`,
  }),
  testName: (parts) => {
    const fn = `Test${pascalCase(parts.unit)}_${parts.method}`;
    // Table-driven subtests: `t.Run("returns the value", ...)` is reported as `Parent/returns_the_value`.
    const sub = sentence(parts).replace(/ /g, "_");
    return { name: `${fn}/${sub}`, testFunction: `${fn}.func1` };
  },
};

const dotnetLayout: SourceLayout = {
  unit: (component, phrase, methods) => ({
    name: pascalCase(phrase),
    qualified: `Acme.${pascalCase(component)}.${pascalCase(phrase)}`,
    file: `src/Acme.${pascalCase(component)}/${pascalCase(phrase)}.cs`,
    methods,
  }),
  methodName: pascalCase,
  testLocation: (component, phrase, integration) => {
    const project = `Acme.${pascalCase(component)}.${integration ? "IntegrationTests" : "Tests"}`;
    return {
      suite: `${project}.${pascalCase(phrase)}Tests`,
      file: `tests/${project}/${pascalCase(phrase)}Tests.cs`,
    };
  },
  testName: (parts) => {
    const when = parts.condition === undefined ? "" : `_When${pascalCase(parts.condition)}`;
    const method = `${parts.method}${when}_${pascalCase(parts.outcome)}`;
    // xUnit names a theory's case by the method and its arguments.
    const name =
      parts.parameters === undefined
        ? method
        : `${method}(${parts.parameters.map((value, i) => `arg${i}: ${/^-?[\d.]+$/.test(value) ? value : `"${value}"`}`).join(", ")})`;
    return { name, testFunction: method };
  },
};

/** Each framework's layout. */
export const SOURCE_LAYOUTS: Readonly<Record<Framework, SourceLayout>> = {
  jest: nodeLayout("packages", ""),
  vitest: nodeLayout("apps", "lib/"),
  playwright: playwrightLayout,
  junit5: javaLayout,
  pytest: pythonLayout,
  "go-test": goLayout,
  xunit: dotnetLayout,
};
