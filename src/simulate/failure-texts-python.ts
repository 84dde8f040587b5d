import type {
  CauseText,
  FailureText,
  FrameworkTexts,
  InfrastructureFault,
  Occurrence,
  Renderer,
} from "./failure-text.js";
import type { CodeSite } from "./source-layout.js";
import { amount, isoAt, lineAt, pythonAddress } from "./varying-values.js";

/** `_ _ _ ...`: pytest's separator between the entries of a long traceback. */
const SEPARATOR = Array.from({ length: 40 }, () => "_").join(" ");

const fixtureOf = (o: Occurrence): string => o.test.subject.unit.name.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();

/** The test function's source as pytest prints it: the signature, a few statements, `>` on the failing one. */
function testSource(o: Occurrence, failing: string, before: readonly string[]): string {
  const fixture = fixtureOf(o);
  return [
    `    def ${o.test.testFunction}(${fixture}${o.test.kind === "integration" ? ", db_session" : ""}):`,
    ...before.map((line) => `        ${line}`),
    `>       ${failing}`,
  ].join("\n");
}

/** `path:line: ErrorType`: how pytest ends an entry. */
function location(o: Occurrence, offset: number, type: string): string {
  return `${o.test.file}:${lineAt(o.test.file, o.test.line + offset, o.revision)}: ${type}`;
}

/** A product-code entry of a long traceback: its locals, its source, the `E` lines. */
function siteEntry(
  o: Occurrence,
  site: CodeSite,
  offset: number,
  statement: string,
  error: string,
  type: string,
): string {
  const line = lineAt(site.unit.file, site.method.line + offset, o.revision);
  return [
    `self = <${site.unit.qualified}.${site.unit.name} object at ${pythonAddress(o.random)}>`,
    "",
    `    def ${site.method.name}(self, *args, **kwargs):`,
    `>       ${statement}`,
    error,
    "",
    `${site.unit.file}:${line}: ${type}`,
  ].join("\n");
}

/** A pytest `<failure>`: the message is the crash line, the body the long traceback. */
function failure(message: string, body: string, stdout?: string): FailureText {
  return { element: "failure", type: undefined, message, body, ...(stdout === undefined ? {} : { stdout }) };
}

/** An exception raised in product code under the test's call. */
function raisedIn(
  o: Occurrence,
  site: CodeSite,
  siteOffset: number,
  statement: string,
  type: string,
  text: string,
  offset: number,
): FailureText {
  const call = `result = ${fixtureOf(o)}.${o.test.subject.method.name}(${o.stable.pick(["order", "invoice", "payload", "request"])})`;
  return failure(
    `${type}: ${text}`,
    [
      testSource(o, call, []),
      "",
      `${o.test.file}:${lineAt(o.test.file, o.test.line + offset, o.revision)}: `,
      SEPARATOR,
      siteEntry(o, site, siteOffset, statement, `E   ${type}: ${text}`, type),
    ].join("\n"),
  );
}

const STATUSES = ["paid", "pending", "refunded", "captured", "failed", "shipped", "draft"];
const KEYS = ["tax_region", "currency", "price_list", "sku", "warehouse_id", "tenant"];

/** pytest failure texts as `--junitxml` writes them: long tracebacks with `>` and `E` lines and `file.py:NN: Error`. */
export const pytestTexts: FrameworkTexts = {
  regression(random, site) {
    const variant = random.int(0, 5);
    const offset = random.int(2, 12);
    const siteOffset = random.int(1, 20);
    const base = Number(amount(random, 20, 400));
    const factor = random.pick([0.9, 0.8, 1.1, 1.19]);
    const [expected, actual] = random.sample(STATUSES, 2) as [string, string];
    const key = random.pick(KEYS);
    const error = random.pick(["PriceError", "ValidationError", "QuotaExceeded"]);
    const summaries = [
      `${site.unit.name}.${site.method.name} computes a wrong total`,
      `${site.unit.name}.${site.method.name} sets status ${actual} instead of ${expected}`,
      `${site.unit.name}.${site.method.name} reads a missing key ${key}`,
      "the endpoint answers 500",
      `${site.unit.name}.${site.method.name} cannot parse a value`,
      `${site.unit.name}.${site.method.name} no longer raises ${error}`,
    ];
    return {
      summary: summaries[variant] ?? "a regression",
      render: (o) => {
        const total = (Math.round(base * o.stable.between(0.5, 2) * 100) / 100).toFixed(2);
        const wrong = (Number(total) * factor).toFixed(2);
        switch (variant) {
          case 0: {
            const message = `assert Decimal('${wrong}') == Decimal('${total}')\n +  where Decimal('${wrong}') = <acme.${o.test.component}.models.Invoice object at ${pythonAddress(o.random)}>.total`;
            return failure(
              message,
              `${testSource(o, `assert invoice.total == Decimal("${total}")`, [`invoice = ${fixtureOf(o)}.${o.test.subject.method.name}(order)`])}\nE       ${message.replace(/\n/g, "\nE       ")}\n\n${location(o, offset, "AssertionError")}`,
            );
          }
          case 1: {
            const total2 = Math.round(Number(total));
            const message = `AssertionError: assert {'status': '${actual}', 'total': ${total2}} == {'status': '${expected}', 'total': ${total2}}`;
            return failure(
              message,
              `${testSource(o, `assert result == {"status": "${expected}", "total": ${total2}}`, [`result = ${fixtureOf(o)}.${o.test.subject.method.name}(order).as_dict()`])}\nE       ${message}\nE         \nE         Common items:\nE         {'total': ${total2}}\nE         Differing items:\nE         {'status': '${actual}'} != {'status': '${expected}'}\nE         Use -v to get more diff\n\n${location(o, offset, "AssertionError")}`,
            );
          }
          case 2:
            return raisedIn(o, site, siteOffset, `return RATES[customer["${key}"]]`, "KeyError", `'${key}'`, offset);
          case 3: {
            const message = "assert 500 == 200\n +  where 500 = <Response [500]>.status_code";
            return failure(
              message,
              `client = <starlette.testclient.TestClient object at ${pythonAddress(o.random)}>\n\n${testSource(o, "assert response.status_code == 200", [`response = client.post("/${o.test.component}", json=payload)`])}\nE       ${message.replace(/\n/g, "\nE       ")}\n\n${location(o, offset, "AssertionError")}`,
              `${isoAt(o.startedAt)} ERROR acme.${o.test.component}.api request_id=${o.random.uuid()} unhandled error in ${site.method.name}: division by zero`,
            );
          }
          case 4:
            return raisedIn(
              o,
              site,
              siteOffset,
              "value = float(row[column])",
              "ValueError",
              `could not convert string to float: '${o.stable.pick(["N/A", "", "1,234.50", "--"])}'`,
              offset,
            );
          default:
            return failure(
              `Failed: DID NOT RAISE <class 'acme.${o.test.component}.errors.${error}'>`,
              `${testSource(o, `with pytest.raises(${error}):`, [])}\nE       Failed: DID NOT RAISE <class 'acme.${o.test.component}.errors.${error}'>\n\n${location(o, offset, "Failed")}`,
            );
        }
      },
    };
  },

  flaky(random, site) {
    const variant = random.int(0, 3);
    const offset = random.int(2, 12);
    const table = random.pick(["stock_levels", "orders", "reservations", "payouts"]);
    const summaries = [
      "events are counted before the consumer catches up",
      `two workers deadlock on ${table}`,
      "the expected date is computed from the wall clock",
      "an event loop is closed by a previous test",
    ];
    return {
      summary: summaries[variant] ?? "a race",
      render: (o) => {
        switch (variant) {
          case 0: {
            const want = o.stable.int(2, 5);
            const got = want - o.random.int(1, 2);
            const events = Array.from({ length: got }, () => `<Event ${o.random.hex(8)}>`).join(", ");
            const message = `assert ${got} == ${want}\n +  where ${got} = len([${events}])`;
            return failure(
              message,
              `${testSource(o, `assert len(events) == ${want}`, [`events = consumer.poll(timeout=0.5)`])}\nE       ${message.replace(/\n/g, "\nE       ")}\n\n${location(o, offset, "AssertionError")}`,
            );
          }
          case 1: {
            const process = o.random.int(1000, 60000);
            const text = `(psycopg2.errors.DeadlockDetected) deadlock detected\nDETAIL:  Process ${process} waits for ShareLock on transaction ${o.random.int(10000, 999999)}; blocked by process ${process + o.random.int(1, 30)}.\nHINT:  See server log for query details.\nCONTEXT:  while updating tuple (0,${o.random.int(1, 90)}) in relation "${table}"\n\n[SQL: UPDATE ${table} SET quantity=%(quantity)s WHERE ${table}.id = %(id)s]\n[parameters: {'quantity': ${o.random.int(0, 40)}, 'id': ${o.random.int(1, 900)}}]\n(Background on this error at: https://sqlalche.me/e/20/e3q8)`;
            return raisedIn(o, site, 7, "session.commit()", "sqlalchemy.exc.OperationalError", text, offset);
          }
          case 2: {
            const today = new Date(o.startedAt);
            const tomorrow = new Date(o.startedAt + 86_400_000);
            const date = (d: Date) => `datetime.date(${d.getUTCFullYear()}, ${d.getUTCMonth() + 1}, ${d.getUTCDate()})`;
            const message = `assert ${date(tomorrow)} == ${date(today)}\n +  where ${date(tomorrow)} = <Schedule ${o.random.hex(6)}>.next_run.date()`;
            return failure(
              message,
              `${testSource(o, "assert schedule.next_run.date() == date.today()", ["schedule = scheduler.plan(job)"])}\nE       ${message.replace(/\n/g, "\nE       ")}\n\n${location(o, offset, "AssertionError")}`,
            );
          }
          default:
            return raisedIn(
              o,
              site,
              3,
              "await self._client.send(batch)",
              "RuntimeError",
              "Event loop is closed",
              offset,
            );
        }
      },
    };
  },

  timeout(random, limitMs) {
    const statement = random.pick([
      "time.sleep(self.backoff)",
      "response = self._session.get(url, timeout=None)",
      "row = cursor.fetchone()",
    ]);
    return {
      summary: `the test exceeds pytest-timeout's ${limitMs / 1000} s`,
      render: (o) => {
        const thread = o.random.int(139_000_000_000_000, 140_999_999_999_999);
        const site = o.test.subject;
        return failure(
          `Failed: Timeout >${(limitMs / 1000).toFixed(1)}s`,
          [
            `${"+".repeat(35)} Timeout ${"+".repeat(35)}`,
            `${"~".repeat(21)} Stack of MainThread (${thread}) ${"~".repeat(21)}`,
            `  File "${o.runner.workspace}/${o.test.file}", line ${lineAt(o.test.file, o.test.line + 3, o.revision)}, in ${o.test.testFunction}`,
            `    result = ${fixtureOf(o)}.${site.method.name}(payload)`,
            `  File "${o.runner.workspace}/${site.unit.file}", line ${lineAt(site.unit.file, site.method.line + 6, o.revision)}, in ${site.method.name}`,
            `    ${statement}`,
            `${"+".repeat(35)} Timeout ${"+".repeat(35)}`,
            "",
            testSource(o, `result = ${fixtureOf(o)}.${site.method.name}(payload)`, []),
            `E       Failed: Timeout >${(limitMs / 1000).toFixed(1)}s`,
            "",
            location(o, 3, "Failed"),
          ].join("\n"),
        );
      },
    };
  },

  testBug(random) {
    const variant = random.int(0, 3);
    const offset = random.int(2, 12);
    const fixture = random.pick(["make_order", "customer_factory", "frozen_clock", "api_token"]);
    const keyword = random.pick(["qty", "customer", "currency_code", "when"]);
    const summaries = [
      `the test asks for a fixture ${fixture} that does not exist`,
      "the test reads .id of None",
      `the test calls a builder with an unknown keyword ${keyword}`,
      "the test uses a helper it never imports",
    ];
    return {
      summary: summaries[variant] ?? "a test bug",
      render: (o) => {
        switch (variant) {
          case 0:
            return {
              element: "error",
              type: undefined,
              message: `failed on setup with "file ${o.runner.workspace}/${o.test.file}, line ${lineAt(o.test.file, o.test.line, o.revision)}"`,
              body: `file ${o.runner.workspace}/${o.test.file}, line ${lineAt(o.test.file, o.test.line, o.revision)}\n  def ${o.test.testFunction}(${fixtureOf(o)}, ${fixture}):\nE       fixture '${fixture}' not found\n>       available fixtures: anyio_backend, cache, capfd, capfdbinary, caplog, capsys, capsysbinary, db_session, doctest_namespace, monkeypatch, pytestconfig, record_property, ${fixtureOf(o)}, tmp_path, tmp_path_factory, tmpdir\n>       use 'pytest --fixtures [testpath]' for help on them.\n\n${o.runner.workspace}/${o.test.file}:${lineAt(o.test.file, o.test.line, o.revision)}`,
            };
          case 1:
            return failure(
              "AttributeError: 'NoneType' object has no attribute 'id'",
              `${testSource(o, "assert created.id == order.id", ["created = repository.find_latest()"])}\nE       AttributeError: 'NoneType' object has no attribute 'id'\n\n${location(o, offset, "AttributeError")}`,
            );
          case 2:
            return failure(
              `TypeError: build_order() got an unexpected keyword argument '${keyword}'`,
              `${testSource(o, `order = build_order(${keyword}=${o.stable.int(1, 9)})`, [])}\nE       TypeError: build_order() got an unexpected keyword argument '${keyword}'\n\n${location(o, offset, "TypeError")}`,
            );
          default:
            return failure(
              "NameError: name 'make_payload' is not defined",
              `${testSource(o, "payload = make_payload(amount=10)", [])}\nE       NameError: name 'make_payload' is not defined\n\n${location(o, offset, "NameError")}`,
            );
        }
      },
    };
  },

  environment(random, kind): CauseText {
    const module = random.pick(["boto3", "numpy", "pyarrow", "lxml", "cryptography"]);
    const binary = random.pick(["wkhtmltopdf", "pg_dump", "tesseract", "gs"]);
    const variable = random.pick(["DATABASE_URL", "AWS_DEFAULT_REGION", "PRICING_API_KEY", "SENTRY_DSN"]);
    return {
      summary:
        kind === "missing-module"
          ? `Python package ${module} is not installed on the runner`
          : kind === "missing-binary"
            ? `binary ${binary} is missing from the runner`
            : `environment variable ${variable} is not set`,
      render: (o) => {
        const site = o.test.subject;
        if (kind === "missing-module")
          return {
            element: "error",
            type: undefined,
            message: "collection failure",
            body: `ImportError while importing test module '${o.runner.workspace}/${o.test.file}'.\nHint: make sure your test modules/packages have valid Python names.\nTraceback:\n/usr/lib/python3.12/importlib/__init__.py:90: in import_module\n    return _bootstrap._gcd_import(name[level:], package, level)\n${o.test.file}:${o.stable.int(3, 9)}: in <module>\n    from ${site.unit.qualified} import ${site.unit.name}\n${site.unit.file}:${o.stable.int(2, 8)}: in <module>\n    import ${module}\nE   ModuleNotFoundError: No module named '${module}'`,
          };
        if (kind === "missing-binary")
          return raisedIn(
            o,
            site,
            8,
            `subprocess.run(["${binary}", src, dst], check=True)`,
            "FileNotFoundError",
            `[Errno 2] No such file or directory: '${binary}'`,
            3,
          );
        return raisedIn(o, site, 2, `dsn = os.environ["${variable}"]`, "KeyError", `'${variable}'`, 3);
      },
    };
  },

  infrastructure(fault: InfrastructureFault): Renderer {
    switch (fault.kind) {
      case "connection-refused":
        return (o) => {
          const site = o.test.subject;
          switch (fault.service) {
            case "redis":
              return raisedIn(
                o,
                site,
                4,
                "self._redis.set(key, value, ex=ttl)",
                "redis.exceptions.ConnectionError",
                `Error 111 connecting to ${fault.ip}:${fault.port}. Connection refused.`,
                3,
              );
            case "kafka":
              return raisedIn(
                o,
                site,
                4,
                "producer = KafkaProducer(bootstrap_servers=settings.KAFKA)",
                "kafka.errors.NoBrokersAvailable",
                "NoBrokersAvailable",
                3,
              );
            case "payments-api":
              return raisedIn(
                o,
                site,
                4,
                `response = self._session.post(f"{self.base_url}/v1/charges", json=body)`,
                "requests.exceptions.ConnectionError",
                `HTTPSConnectionPool(host='${fault.host}', port=${fault.port}): Max retries exceeded with url: /v1/charges (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at ${pythonAddress(o.random)}>: Failed to establish a new connection: [Errno 111] Connection refused'))`,
                3,
              );
            default:
              return {
                element: "error",
                type: undefined,
                message: `failed on setup with "sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "${fault.ip}", port ${fault.port} failed: Connection refused`,
                body: `@pytest.fixture\n    def db_session(engine):\n>       connection = engine.connect()\n\ntests/conftest.py:${o.stable.int(30, 40)}: \n${SEPARATOR}\nE   sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "${fault.ip}", port ${fault.port} failed: Connection refused\nE   \tIs the server running on that host and accepting TCP/IP connections?\nE   \nE   (Background on this error at: https://sqlalche.me/e/20/e3q8)\n\n/opt/venv/lib/python3.12/site-packages/psycopg2/__init__.py:122: OperationalError`,
              };
          }
        };
      case "dns":
        return (o) =>
          fault.service === "postgres"
            ? raisedIn(
                o,
                o.test.subject,
                2,
                "connection = engine.connect()",
                "sqlalchemy.exc.OperationalError",
                `(psycopg2.OperationalError) could not translate host name "${fault.host}" to address: Name or service not known`,
                3,
              )
            : raisedIn(
                o,
                o.test.subject,
                4,
                "return self._client.get(key)",
                "redis.exceptions.ConnectionError",
                `Error -3 connecting to ${fault.host}:${fault.port}. Temporary failure in name resolution.`,
                3,
              );
      case "oom-killed":
        return (o) => ({
          element: "error",
          type: undefined,
          message: `worker 'gw${o.test.worker}' crashed while running '${o.test.file}::${o.test.name}'`,
          body: `worker 'gw${o.test.worker}' crashed while running '${o.test.file}::${o.test.name}'\n[gw${o.test.worker}] node down: Not properly terminated\nreplacing crashed worker gw${o.test.worker}`,
        });
      case "disk-full":
        return (o) =>
          raisedIn(
            o,
            o.test.subject,
            6,
            'with open(path, "w") as handle:',
            "OSError",
            `[Errno 28] No space left on device: '${fault.mount}/pytest-of-runner/pytest-${o.random.int(0, 40)}/${o.test.testFunction.slice(0, 30)}0/${o.random.pick(["report.csv", "export.parquet", "cache.db"])}'`,
            3,
          );
    }
  },
};
