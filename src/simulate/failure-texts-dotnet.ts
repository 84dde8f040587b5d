import type {
  CauseText,
  FailureText,
  FrameworkTexts,
  InfrastructureFault,
  Occurrence,
  Renderer,
} from "./failure-text.js";
import type { CodeSite } from "./source-layout.js";
import { amount, lineAt } from "./varying-values.js";

/** A frame of product code at `site`. */
function siteFrame(o: Occurrence, site: CodeSite, offset: number): string {
  return `   at ${site.unit.qualified}.${site.method.name}(${o.stable.pick(["Invoice invoice", "Customer customer", "Order order", "CancellationToken cancellationToken"])}) in ${o.runner.workspace}/${site.unit.file}:line ${lineAt(site.unit.file, site.method.line + offset, o.revision)}`;
}

/** The test method's frame. */
function testFrame(o: Occurrence, offset: number): string {
  return `   at ${o.test.suite}.${o.test.testFunction}() in ${o.runner.workspace}/${o.test.file}:line ${lineAt(o.test.file, o.test.line + offset, o.revision)}`;
}

const ASYNC_BOUNDARY = "--- End of stack trace from previous location ---";

/**
 * A failure as JunitXml.TestLogger writes xUnit results: the message attribute holds xUnit's
 * message (`Type : text` for exceptions), the body only the stack trace, the type is `failure`.
 */
function xunitFailure(message: string, frames: readonly string[], stdout?: string): FailureText {
  return {
    element: "failure",
    type: "failure",
    message,
    body: frames.filter((f) => f !== "").join("\n"),
    ...(stdout === undefined ? {} : { stdout }),
  };
}

/** xUnit's string diff with the arrows pointing at the first differing position. */
function stringsDiffer(expected: string, actual: string): string {
  let position = 0;
  while (position < expected.length && expected[position] === actual[position]) position++;
  const pad = " ".repeat(11 + position);
  return `Assert.Equal() Failure: Strings differ\n${pad}↓ (pos ${position})\nExpected: "${expected}"\nActual:   "${actual}"\n${pad}↑ (pos ${position})`;
}

const STATES = ["Paid", "Pending", "Refunded", "Captured", "Failed", "Shipped", "Draft"];

/** xUnit's failure texts as JunitXml.TestLogger reports them: `Assert.Equal() Failure`, `Type : message`, frames with `:line`. */
export const xunitTexts: FrameworkTexts = {
  regression(random, site) {
    const variant = random.int(0, 4);
    const offset = random.int(3, 14);
    const siteOffset = random.int(1, 20);
    const base = Number(amount(random, 20, 500));
    const factor = random.pick([0.9, 0.8, 1.1, 1.19]);
    const [expected, actual] = random.sample(STATES, 2) as [string, string];
    const summaries = [
      `${site.unit.name}.${site.method.name} computes a wrong amount`,
      `${site.unit.name}.${site.method.name} leaves the state ${actual}`,
      `${site.unit.name}.${site.method.name} dereferences null`,
      `${site.unit.name}.${site.method.name} finds no matching rule`,
      `${site.unit.name}.${site.method.name} throws the wrong exception`,
    ];
    return {
      summary: summaries[variant] ?? "a regression",
      render: (o) => {
        const want = (Math.round(base * o.stable.between(0.5, 2) * 100) / 100).toFixed(2);
        switch (variant) {
          case 0:
            return xunitFailure(
              `Assert.Equal() Failure: Values differ\nExpected: ${want}\nActual:   ${(Number(want) * factor).toFixed(2)}`,
              [testFrame(o, offset), ASYNC_BOUNDARY],
            );
          case 1:
            return xunitFailure(stringsDiffer(expected, actual), [testFrame(o, offset)]);
          case 2:
            return xunitFailure(
              "System.NullReferenceException : Object reference not set to an instance of an object.",
              [
                siteFrame(o, site, siteOffset),
                o.test.subject.unit === site.unit ? "" : siteFrame(o, o.test.subject, random.int(1, 9)),
                testFrame(o, offset),
                ASYNC_BOUNDARY,
              ],
            );
          case 3:
            return xunitFailure("System.InvalidOperationException : Sequence contains no matching element", [
              "   at System.Linq.ThrowHelper.ThrowNoMatchException()",
              "   at System.Linq.Enumerable.First[TSource](IEnumerable`1 source, Func`2 predicate)",
              siteFrame(o, site, siteOffset),
              testFrame(o, offset),
            ]);
          default:
            return xunitFailure(
              `Assert.Throws() Failure: Exception type was not an exact match\nExpected: typeof(Acme.${o.test.component.charAt(0).toUpperCase()}${o.test.component.slice(1)}.ValidationException)\nActual:   typeof(System.ArgumentException)\n---- System.ArgumentException : Value does not fall within the expected range. (Parameter '${o.stable.pick(["amount", "code", "rate"])}')`,
              [testFrame(o, offset), "----- Inner Stack Trace -----", siteFrame(o, site, siteOffset)],
            );
        }
      },
    };
  },

  flaky(random, site) {
    const variant = random.int(0, 2);
    const offset = random.int(3, 14);
    const summaries = [
      "a background task is cancelled by the test host",
      "items arrive in completion order",
      "optimistic concurrency conflicts with a parallel test",
    ];
    return {
      summary: summaries[variant] ?? "a race",
      render: (o) => {
        switch (variant) {
          case 0:
            return xunitFailure("System.Threading.Tasks.TaskCanceledException : A task was canceled.", [
              "   at System.Threading.Tasks.Task.GetExceptionThrower(Task task)",
              siteFrame(o, site, 5),
              ASYNC_BOUNDARY,
              testFrame(o, offset),
              ASYNC_BOUNDARY,
            ]);
          case 1: {
            const ids = [o.random.int(1, 99), o.random.int(100, 199), o.random.int(200, 299)];
            return xunitFailure(
              `Assert.Equal() Failure: Collections differ\n           ↓ (pos 0)\nExpected: [${ids.join(", ")}]\nActual:   [${[ids[1], ids[0], ids[2]].join(", ")}]\n           ↑ (pos 0)`,
              [testFrame(o, offset)],
            );
          }
          default:
            return xunitFailure(
              "Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException : The database operation was expected to affect 1 row(s), but actually affected 0 row(s); data may have been modified or deleted since entities were loaded. See https://go.microsoft.com/fwlink/?LinkId=527962 for information on understanding and handling optimistic concurrency exceptions.",
              [
                "   at Microsoft.EntityFrameworkCore.Update.AffectedCountModificationCommandBatch.ThrowAggregateUpdateConcurrencyExceptionAsync(RelationalDataReader reader, Int32 commandIndex, Int32 expectedRowsAffected, Int32 rowsAffected, CancellationToken cancellationToken)",
                siteFrame(o, site, 9),
                testFrame(o, offset),
              ],
            );
        }
      },
    };
  },

  timeout(_random, limitMs) {
    return {
      summary: `the test exceeds its [Fact(Timeout = ${limitMs})]`,
      render: () => xunitFailure(`Test execution timed out after ${limitMs} milliseconds`, []),
    };
  },

  testBug(random) {
    const variant = random.int(0, 2);
    const offset = random.int(3, 14);
    const repository = random.pick(["ICustomerRepository", "IInvoiceStore", "IClock", "IPaymentGateway"]);
    const summaries = [
      "the test dereferences a fixture it never built",
      `the test's strict mock of ${repository} lacks a setup`,
      "the test passes a null collection",
    ];
    return {
      summary: summaries[variant] ?? "a test bug",
      render: (o) => {
        switch (variant) {
          case 0:
            return xunitFailure(
              "System.NullReferenceException : Object reference not set to an instance of an object.",
              [testFrame(o, offset)],
            );
          case 1:
            return xunitFailure(
              `Moq.MockException : ${repository}.GetAsync(${o.stable.int(1, 999)}, CancellationToken) invocation failed with mock behavior Strict.\nAll invocations on the mock must have a corresponding setup.`,
              [
                "   at Moq.FailForStrictMock.Handle(Invocation invocation, Mock mock)",
                siteFrame(o, o.test.subject, 3),
                testFrame(o, offset),
              ],
            );
          default:
            return xunitFailure("System.ArgumentNullException : Value cannot be null. (Parameter 'source')", [
              "   at System.Linq.ThrowHelper.ThrowArgumentNullException(ExceptionArgument argument)",
              testFrame(o, offset),
            ]);
        }
      },
    };
  },

  environment(random, kind): CauseText {
    const variable = random.pick(["ACME_API_KEY", "ConnectionStrings__Default", "AZURE_STORAGE_CONNECTION_STRING"]);
    const assembly = random.pick(["Acme.Money", "Acme.Contracts", "Newtonsoft.Json"]);
    return {
      summary:
        kind === "missing-binary"
          ? "native library libgdiplus is missing from the runner"
          : kind === "missing-env-var"
            ? `environment variable ${variable} is not set`
            : `assembly ${assembly} is not restored`,
      render: (o) => {
        if (kind === "missing-binary")
          return xunitFailure(
            "System.DllNotFoundException : Unable to load shared library 'libgdiplus' or one of its dependencies. In order to help diagnose loading problems, consider setting the LD_DEBUG environment variable: liblibgdiplus: cannot open shared object file: No such file or directory",
            [
              "   at System.Drawing.SafeNativeMethods.Gdip.GdiplusStartup(IntPtr& token, StartupInput& input, StartupOutput& output)",
              siteFrame(o, o.test.subject, 2),
              testFrame(o, 2),
            ],
          );
        if (kind === "missing-env-var")
          return xunitFailure(`System.InvalidOperationException : Environment variable '${variable}' is not set.`, [
            `   at Acme.${o.test.component.charAt(0).toUpperCase()}${o.test.component.slice(1)}.Configuration.Require(String name) in ${o.runner.workspace}/src/Configuration.cs:line 18`,
            testFrame(o, 1),
          ]);
        return xunitFailure(
          `System.IO.FileNotFoundException : Could not load file or assembly '${assembly}, Version=${o.stable.int(2, 13)}.0.0.0, Culture=neutral, PublicKeyToken=null'. The system cannot find the file specified.`,
          [siteFrame(o, o.test.subject, 1), testFrame(o, 1)],
        );
      },
    };
  },

  infrastructure(fault: InfrastructureFault): Renderer {
    switch (fault.kind) {
      case "connection-refused":
        return (o) => {
          switch (fault.service) {
            case "redis":
              return xunitFailure(
                `StackExchange.Redis.RedisConnectionException : It was not possible to connect to the redis server(s). Error connecting right now. To allow this multiplexer to continue retrying until it's able to connect, use abortConnect=false in your connection string or AbortOnConnectFail=false; in your code. ConnectTimeout`,
                [
                  "   at StackExchange.Redis.ConnectionMultiplexer.ConnectImpl(ConfigurationOptions configuration, TextWriter writer, Nullable`1 serverType, EndPointCollection endpoints)",
                  siteFrame(o, o.test.subject, 3),
                  testFrame(o, 2),
                ],
              );
            case "payments-api":
            case "kafka":
            case "app":
              return xunitFailure(
                `System.Net.Http.HttpRequestException : Connection refused (${fault.host}:${fault.port})\n---- System.Net.Sockets.SocketException : Connection refused`,
                [
                  "   at System.Net.Http.HttpConnectionPool.ConnectToTcpHostAsync(String host, Int32 port, HttpRequestMessage initialRequest, Boolean async, CancellationToken cancellationToken)",
                  siteFrame(o, o.test.subject, 3),
                  testFrame(o, 2),
                ],
              );
            default:
              return xunitFailure(
                `Npgsql.NpgsqlException : Failed to connect to ${fault.ip}:${fault.port}\n---- System.Net.Sockets.SocketException : Connection refused`,
                [
                  "   at Npgsql.Internal.NpgsqlConnector.Connect(NpgsqlTimeout timeout)",
                  "   at Npgsql.Internal.NpgsqlConnector.RawOpen(SslMode sslMode, NpgsqlTimeout timeout, Boolean async, CancellationToken cancellationToken)",
                  siteFrame(o, o.test.subject, 3),
                  testFrame(o, 2),
                  ASYNC_BOUNDARY,
                ],
              );
          }
        };
      case "dns":
        return (o) =>
          xunitFailure(
            `System.Net.Sockets.SocketException : Name or service not known`,
            [
              "   at System.Net.Dns.GetHostEntryOrAddressesCore(String hostName, Boolean justAddresses, AddressFamily addressFamily, Nullable`1 startingTimestamp)",
              siteFrame(o, o.test.subject, 3),
              testFrame(o, 2),
            ],
            `[xUnit.net 00:00:${String(o.random.int(1, 59)).padStart(2, "0")}.${o.random.int(10, 99)}]     resolving ${fault.host} failed`,
          );
      case "oom-killed":
        return (o) =>
          o.random.chance(0.5)
            ? xunitFailure(
                "System.OutOfMemoryException : Exception of type 'System.OutOfMemoryException' was thrown.",
                [
                  "   at System.Text.StringBuilder.ExpandByABlock(Int32 minBlockCharCount)",
                  siteFrame(o, o.test.subject, o.random.int(2, 9)),
                  testFrame(o, 2),
                ],
              )
            : xunitFailure(`The active test run was aborted. Reason: Test host process crashed : Exit code 137`, []);
      case "disk-full":
        return (o) =>
          xunitFailure(
            `System.IO.IOException : No space left on device : '${fault.mount}/${o.random.uuid()}/${o.random.pick(["invoice.pdf", "export.csv", "cache.bin"])}'`,
            [
              "   at Microsoft.Win32.SafeHandles.SafeFileHandle.Init(String path, FileMode mode, FileAccess access, FileShare share, FileOptions options, Int64 preallocationSize)",
              siteFrame(o, o.test.subject, o.random.int(2, 9)),
              testFrame(o, 2),
            ],
          );
    }
  },
};
