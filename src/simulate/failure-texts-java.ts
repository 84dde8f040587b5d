import type {
  CauseText,
  FailureText,
  FrameworkTexts,
  InfrastructureFault,
  Occurrence,
  Renderer,
} from "./failure-text.js";
import type { CodeSite } from "./source-layout.js";
import { amount, isoAt, javaIdentityHash, lineAt, pid } from "./varying-values.js";

const baseName = (file: string): string => file.replace(/^.*\//, "");

/** A frame of product code at `site`, `offset` lines into the method. */
function siteFrame(o: Occurrence, site: CodeSite, offset: number): string {
  return `\tat ${site.unit.qualified}.${site.method.name}(${baseName(site.unit.file)}:${lineAt(site.unit.file, site.method.line + offset, o.revision)})`;
}

/** The test method's frame, `offset` lines into the test. */
function testFrame(o: Occurrence, offset: number): string {
  return `\tat ${o.test.suite}.${o.test.testFunction}(${baseName(o.test.file)}:${lineAt(o.test.file, o.test.line + offset, o.revision)})`;
}

/** What the JUnit Platform adds under the test's frame (Surefire keeps the first few). */
const PLATFORM_FRAMES = [
  "\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)",
  "\tat java.base/java.util.ArrayList.forEach(ArrayList.java:1596)",
  "\tat java.base/java.util.ArrayList.forEach(ArrayList.java:1596)",
].join("\n");

const ASSERT_EQUALS_FRAMES = [
  "\tat org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)",
  "\tat org.junit.jupiter.api.AssertionFailureBuilder.buildAndThrow(AssertionFailureBuilder.java:132)",
  "\tat org.junit.jupiter.api.AssertEquals.failNotEqual(AssertEquals.java:197)",
  "\tat org.junit.jupiter.api.AssertEquals.assertEquals(AssertEquals.java:182)",
  "\tat org.junit.jupiter.api.Assertions.assertEquals(Assertions.java:1156)",
].join("\n");

const ASSERTJ_FRAMES = [
  "\tat java.base/jdk.internal.reflect.DirectConstructorHandleAccessor.newInstance(DirectConstructorHandleAccessor.java:62)",
  "\tat java.base/java.lang.reflect.Constructor.newInstanceWithCaller(Constructor.java:502)",
  "\tat java.base/java.lang.reflect.Constructor.newInstance(Constructor.java:486)",
].join("\n");

/** A Surefire `<failure>`/`<error>`: the body is the whole trace, headed by `type: message`. */
function trace(
  element: "failure" | "error",
  type: string,
  message: string,
  frames: readonly string[],
  stdout?: string,
): FailureText {
  const headline = message === "" ? type : `${type}: ${message}`;
  return {
    element,
    type,
    message,
    body: `${headline}\n${frames.filter((f) => f !== "").join("\n")}`,
    ...(stdout === undefined ? {} : { stdout }),
  };
}

const STATUSES = ["PAID", "PENDING", "REFUNDED", "CAPTURED", "FAILED", "SHIPPED", "DRAFT", "CANCELLED"];
/** What a null dereference names: the variable's type, the method called on it, the variable. */
const NULL_CALLS: readonly (readonly [string, string, string])[] = [
  ["customer.Customer", "getTaxRegion()", "customer"],
  ["order.Order", "getCurrency()", "order"],
  ["invoice.Invoice", "getBillingAddress()", "invoice"],
  ["price.PriceList", "getRules()", "priceList"],
  ["stock.Warehouse", "getLocation()", "warehouse"],
  ["tenant.Tenant", "getSettings()", "tenant"],
];
const EXCEPTIONS = [
  "com.acme.common.ValidationException",
  "com.acme.common.NotFoundException",
  "com.acme.common.ConflictException",
];

/** A log line as Spring Boot's default pattern prints it. */
function logLine(o: Occurrence, level: string, thread: string, logger: string, message: string): string {
  return `${isoAt(o.startedAt).replace("Z", "+00:00")} ${level.padStart(5)} ${pid(o.random)} --- [${thread.padStart(15)}] ${logger.padEnd(40).slice(0, 40)} : ${message}`;
}

/** JUnit 5 failure texts as Surefire reports them: exception traces with `at com.acme...` frames, AssertJ, Mockito, Spring. */
export const javaTexts: FrameworkTexts = {
  regression(random, site) {
    const variant = random.int(0, 5);
    const offset = random.int(3, 15);
    const siteOffset = random.int(1, 25);
    const base = Number(amount(random, 20, 500));
    const factor = random.pick([0.9, 0.8, 1.1, 1.19, 0.5]);
    const [expected, actual] = random.sample(STATUSES, 2) as [string, string];
    const [owner, getter, variable] = random.pick(NULL_CALLS);
    const wanted = random.pick(EXCEPTIONS);
    const summaries = [
      `${site.unit.name}.${site.method.name} computes a wrong amount`,
      `${site.unit.name}.${site.method.name} leaves the status ${actual} instead of ${expected}`,
      `${site.unit.name}.${site.method.name} calls ${getter} on a null ${variable}`,
      `${site.unit.name}.${site.method.name} refuses a valid state`,
      `${site.unit.name}.${site.method.name} throws the wrong exception`,
      `the ${site.unit.name} endpoint answers 500`,
    ];
    return {
      summary: summaries[variant] ?? "a regression",
      render: (o) => {
        const total = (Math.round(base * o.stable.between(0.5, 2) * 100) / 100).toFixed(2);
        switch (variant) {
          case 0:
            return trace(
              "failure",
              "org.opentest4j.AssertionFailedError",
              `expected: <${total}> but was: <${(Number(total) * factor).toFixed(2)}>`,
              [ASSERT_EQUALS_FRAMES, testFrame(o, offset), PLATFORM_FRAMES],
            );
          case 1:
            return trace(
              "failure",
              "org.opentest4j.AssertionFailedError",
              `\nexpected: "${expected}"\n but was: "${actual}"`,
              [ASSERTJ_FRAMES, testFrame(o, offset), PLATFORM_FRAMES],
            );
          case 2: {
            return trace(
              "error",
              "java.lang.NullPointerException",
              `Cannot invoke "com.acme.${o.test.component}.${owner}.${getter}" because "${variable}" is null`,
              [
                siteFrame(o, site, siteOffset),
                o.test.subject.unit === site.unit ? "" : siteFrame(o, o.test.subject, random.int(1, 9)),
                testFrame(o, offset),
                PLATFORM_FRAMES,
              ],
            );
          }
          case 3:
            return trace(
              "error",
              "java.lang.IllegalStateException",
              `${site.unit.name.replace(/[A-Z][a-z]+$/, "")} ${o.stable.pick(["INV", "ORD", "SHP"])}-${new Date(o.startedAt).getUTCFullYear()}-${String(o.stable.int(1, 999_999)).padStart(6, "0")} is already finalized`,
              [siteFrame(o, site, siteOffset), testFrame(o, offset), PLATFORM_FRAMES],
            );
          case 4:
            return trace(
              "failure",
              "org.opentest4j.AssertionFailedError",
              `Unexpected exception type thrown, expected: <${wanted}> but was: <java.lang.IllegalArgumentException>`,
              [
                "\tat org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)",
                "\tat org.junit.jupiter.api.AssertThrows.assertThrows(AssertThrows.java:67)",
                "\tat org.junit.jupiter.api.Assertions.assertThrows(Assertions.java:3115)",
                testFrame(o, offset),
                PLATFORM_FRAMES,
                `Caused by: java.lang.IllegalArgumentException: ${site.method.name} requires a non-blank code`,
                siteFrame(o, site, siteOffset),
                `\tat ${o.test.suite}.lambda$${o.test.testFunction}$${o.stable.int(0, 3)}(${baseName(o.test.file)}:${lineAt(o.test.file, o.test.line + offset, o.revision)})`,
                "\tat org.junit.jupiter.api.AssertThrows.assertThrows(AssertThrows.java:53)",
                "\t... 4 more",
              ],
            );
          default:
            return trace(
              "failure",
              "java.lang.AssertionError",
              "Status expected:<200> but was:<500>",
              [
                "\tat org.springframework.test.util.AssertionErrors.fail(AssertionErrors.java:59)",
                "\tat org.springframework.test.util.AssertionErrors.assertEquals(AssertionErrors.java:122)",
                "\tat org.springframework.test.web.servlet.result.StatusResultMatchers.lambda$matcher$9(StatusResultMatchers.java:637)",
                "\tat org.springframework.test.web.servlet.MockMvc$1.andExpect(MockMvc.java:214)",
                testFrame(o, offset),
                PLATFORM_FRAMES,
              ],
              logLine(
                o,
                "ERROR",
                "main",
                "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                `Servlet.service() for servlet [dispatcherServlet] threw exception [Request processing failed: java.lang.ArithmeticException: Non-terminating decimal expansion; no exact representable decimal result.] with root cause (request ${o.random.uuid()})`,
              ),
            );
        }
      },
    };
  },

  flaky(random, site) {
    const variant = random.int(0, 4);
    const offset = random.int(3, 15);
    const seconds = random.pick([5, 10, 15]);
    const summaries = [
      "an asynchronous event is asserted before it is consumed",
      "a listener iterates a list another thread changes",
      "counts read before the outbox is flushed",
      "two transactions deadlock now and then",
      "a retried call is counted twice",
    ];
    return {
      summary: summaries[variant] ?? "a race",
      render: (o) => {
        switch (variant) {
          case 0:
            return trace(
              "error",
              "org.awaitility.core.ConditionTimeoutException",
              `Condition with Lambda expression in ${o.test.suite} that uses ${site.unit.qualified} was not fulfilled within ${seconds} seconds.`,
              [
                "\tat org.awaitility.core.ConditionAwaiter.await(ConditionAwaiter.java:167)",
                "\tat org.awaitility.core.CallableCondition.await(CallableCondition.java:78)",
                "\tat org.awaitility.core.ConditionFactory.until(ConditionFactory.java:1006)",
                testFrame(o, offset),
                PLATFORM_FRAMES,
              ],
            );
          case 1:
            return trace("error", "java.util.ConcurrentModificationException", "", [
              "\tat java.base/java.util.ArrayList$Itr.checkForComodification(ArrayList.java:1095)",
              "\tat java.base/java.util.ArrayList$Itr.next(ArrayList.java:1049)",
              siteFrame(o, site, 6),
              testFrame(o, offset),
              PLATFORM_FRAMES,
            ]);
          case 2: {
            const expected = o.stable.int(2, 6);
            return trace(
              "failure",
              "org.opentest4j.AssertionFailedError",
              `expected: <${expected}> but was: <${expected - o.random.int(1, 2)}>`,
              [ASSERT_EQUALS_FRAMES, testFrame(o, offset), PLATFORM_FRAMES],
            );
          }
          case 3: {
            const process = o.random.int(1000, 60000);
            return trace(
              "error",
              "org.springframework.dao.CannotAcquireLockException",
              `could not execute statement [ERROR: deadlock detected\n  Detail: Process ${process} waits for ShareLock on transaction ${o.random.int(10000, 999999)}; blocked by process ${process + o.random.int(1, 40)}.\n  Hint: See server log for query details.]`,
              [
                "\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:262)",
                siteFrame(o, site, 9),
                testFrame(o, offset),
                PLATFORM_FRAMES,
              ],
            );
          }
          default:
            return trace(
              "failure",
              "org.mockito.exceptions.verification.TooManyActualInvocations",
              `\n${site.method.name}Client.send(\n    <any com.acme.notifications.Notification>\n);\nWanted 1 time:\n-> at ${o.test.suite}.${o.test.testFunction}(${baseName(o.test.file)}:${lineAt(o.test.file, o.test.line + offset, o.revision)})\nBut was 2 times:\n-> at ${site.unit.qualified}.${site.method.name}(${baseName(site.unit.file)}:${lineAt(site.unit.file, site.method.line + 4, o.revision)})\n-> at ${site.unit.qualified}.${site.method.name}(${baseName(site.unit.file)}:${lineAt(site.unit.file, site.method.line + 4, o.revision)})`,
              [testFrame(o, offset), PLATFORM_FRAMES],
            );
        }
      },
    };
  },

  timeout(random, limitMs) {
    const preemptive = random.chance(0.4);
    return {
      summary: `the test exceeds its ${limitMs / 1000} s @Timeout`,
      render: (o) =>
        preemptive
          ? trace("failure", "org.opentest4j.AssertionFailedError", `execution timed out after ${limitMs} ms`, [
              "\tat org.junit.jupiter.api.AssertTimeoutPreemptively.createAssertionFailure(AssertTimeoutPreemptively.java:138)",
              "\tat org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Assertions.java:3498)",
              testFrame(o, 2),
              PLATFORM_FRAMES,
              `Caused by: org.junit.jupiter.api.AssertTimeoutPreemptively$ExecutionTimeoutException: Execution timed out in thread junit-timeout-thread-${o.random.int(1, 40)}`,
              siteFrame(o, o.test.subject, 7),
            ])
          : trace(
              "error",
              "java.util.concurrent.TimeoutException",
              `${o.test.testFunction}() timed out after ${limitMs / 1000} seconds`,
              [
                "\tat org.junit.jupiter.engine.extension.TimeoutExceptionFactory.create(TimeoutExceptionFactory.java:29)",
                "\tat org.junit.jupiter.engine.extension.SameThreadTimeoutInvocation.proceed(SameThreadTimeoutInvocation.java:58)",
                "\tat org.junit.jupiter.engine.extension.TimeoutExtension.intercept(TimeoutExtension.java:156)",
                "\tSuppressed: java.lang.InterruptedException: sleep interrupted",
                "\t\tat java.base/java.lang.Thread.sleep0(Native Method)",
                "\t\tat java.base/java.lang.Thread.sleep(Thread.java:509)",
                siteFrame(o, o.test.subject, 7).replace("\tat", "\t\tat"),
                testFrame(o, 3).replace("\tat", "\t\tat"),
                "\t\t... 4 more",
              ],
            ),
    };
  },

  testBug(random) {
    const variant = random.int(0, 2);
    const offset = random.int(2, 12);
    const field = random.pick(["order", "invoice", "customer", "fixture", "clock"]);
    const summaries = [
      `the test uses this.${field} before setUp assigns it`,
      "the test stubs a call it never makes",
      "the test casts a fixture id to the wrong type",
    ];
    return {
      summary: summaries[variant] ?? "a test bug",
      render: (o) => {
        switch (variant) {
          case 0:
            return trace(
              "error",
              "java.lang.NullPointerException",
              `Cannot invoke "com.acme.${o.test.component}.${field.charAt(0).toUpperCase()}${field.slice(1)}.getId()" because "this.${field}" is null`,
              [testFrame(o, offset), PLATFORM_FRAMES],
            );
          case 1:
            return trace(
              "error",
              "org.mockito.exceptions.misusing.UnnecessaryStubbingException",
              `\nUnnecessary stubbings detected.\nClean & maintainable test code requires zero unnecessary code.\nFollowing stubbings are unnecessary (click to navigate to relevant line of code):\n  1. -> at ${o.test.suite}.${o.test.testFunction}(${baseName(o.test.file)}:${lineAt(o.test.file, o.test.line + offset, o.revision)})\nPlease remove unnecessary stubbings or use 'lenient' strictness. More info: javadoc for UnnecessaryStubbingException class.`,
              ["\tat org.mockito.junit.jupiter.MockitoExtension.afterEach(MockitoExtension.java:197)", PLATFORM_FRAMES],
            );
          default:
            return trace(
              "error",
              "java.lang.ClassCastException",
              "class java.lang.Integer cannot be cast to class java.lang.Long (java.lang.Integer and java.lang.Long are in module java.base of loader 'bootstrap')",
              [testFrame(o, offset), PLATFORM_FRAMES],
            );
        }
      },
    };
  },

  environment(random, kind): CauseText {
    const missingClass = random.pick([
      "com/fasterxml/jackson/datatype/jsr310/JavaTimeModule",
      "org/bouncycastle/jce/provider/BouncyCastleProvider",
      "io/netty/channel/epoll/Epoll",
    ]);
    const variable = random.pick([
      "PAYMENTS_API_KEY",
      "SPRING_DATASOURCE_URL",
      "AWS_REGION",
      "KAFKA_BOOTSTRAP_SERVERS",
    ]);
    const docker = random.chance(0.5);
    return {
      summary:
        kind === "missing-module"
          ? `class ${missingClass.replace(/\//g, ".")} is missing from the test classpath`
          : kind === "missing-binary"
            ? docker
              ? "no Docker daemon for Testcontainers on the runner"
              : "native library netty_transport_native_epoll is missing"
            : `environment variable ${variable} is not set`,
      render: (o) => {
        if (kind === "missing-module")
          return trace("error", "java.lang.NoClassDefFoundError", missingClass, [
            siteFrame(o, o.test.subject, 2),
            testFrame(o, 1),
            PLATFORM_FRAMES,
            `Caused by: java.lang.ClassNotFoundException: ${missingClass.replace(/\//g, ".")}`,
            "\tat java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)",
            "\tat java.base/java.lang.ClassLoader.loadClass(ClassLoader.java:526)",
            "\t... 12 more",
          ]);
        if (kind === "missing-binary")
          return docker
            ? trace(
                "error",
                "java.lang.IllegalStateException",
                "Could not find a valid Docker environment. Please see logs and check configuration",
                [
                  "\tat org.testcontainers.dockerclient.DockerClientProviderStrategy.lambda$getFirstValidStrategy$7(DockerClientProviderStrategy.java:277)",
                  "\tat java.base/java.util.Optional.orElseThrow(Optional.java:403)",
                  "\tat org.testcontainers.DockerClientFactory.getOrInitializeStrategy(DockerClientFactory.java:143)",
                  testFrame(o, 0),
                ],
                `${isoAt(o.startedAt)} ERROR o.t.d.DockerClientProviderStrategy : Could not find a valid Docker environment. Please check configuration. Attempted configurations were:\n\tUnixSocketClientProviderStrategy: failed with exception InvalidConfigurationException (Could not find unix domain socket). Root cause NoSuchFileException (/var/run/docker.sock)`,
              )
            : trace(
                "error",
                "java.lang.UnsatisfiedLinkError",
                "no netty_transport_native_epoll_x86_64 in java.library.path: /usr/java/packages/lib:/usr/lib64:/lib64:/lib:/usr/lib",
                [
                  "\tat java.base/java.lang.ClassLoader.loadLibrary(ClassLoader.java:2458)",
                  "\tat io.netty.util.internal.NativeLibraryUtil.loadLibrary(NativeLibraryUtil.java:38)",
                  siteFrame(o, o.test.subject, 2),
                  testFrame(o, 1),
                ],
              );
        return trace(
          "error",
          "java.lang.IllegalArgumentException",
          `Required environment variable '${variable}' is not set`,
          [
            `\tat com.acme.${o.test.component}.config.EnvironmentConfig.require(EnvironmentConfig.java:31)`,
            siteFrame(o, o.test.subject, 2),
            testFrame(o, 1),
            PLATFORM_FRAMES,
          ],
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
              return trace(
                "error",
                "io.lettuce.core.RedisConnectionException",
                `Unable to connect to ${fault.host}/<unresolved>:${fault.port}`,
                [
                  "\tat io.lettuce.core.RedisConnectionException.create(RedisConnectionException.java:78)",
                  "\tat io.lettuce.core.RedisClient.connect(RedisClient.java:216)",
                  siteFrame(o, o.test.subject, 3),
                  testFrame(o, 2),
                  `Caused by: io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused: ${fault.host}/${fault.ip}:${fault.port}`,
                  "Caused by: java.net.ConnectException: Connection refused",
                  "\tat java.base/sun.nio.ch.Net.pollConnect(Native Method)",
                ],
              );
            case "kafka":
              return trace(
                "error",
                "org.apache.kafka.common.errors.TimeoutException",
                `Topic ${o.test.component}.events not present in metadata after 60000 ms.`,
                [siteFrame(o, o.test.subject, 3), testFrame(o, 2)],
                `${isoAt(o.startedAt)}  WARN ${pid(o.random)} --- [ad | producer-1] org.apache.kafka.clients.NetworkClient   : [Producer clientId=producer-1] Connection to node -1 (${fault.host}/${fault.ip}:${fault.port}) could not be established. Broker may not be available.`,
              );
            case "payments-api":
              return trace(
                "error",
                "org.springframework.web.client.ResourceAccessException",
                `I/O error on POST request for "https://${fault.host}/v1/charges": Connection refused`,
                [
                  "\tat org.springframework.web.client.RestTemplate.createResourceAccessException(RestTemplate.java:915)",
                  siteFrame(o, o.test.subject, 3),
                  testFrame(o, 2),
                  "Caused by: java.net.ConnectException: Connection refused",
                ],
              );
            default:
              return trace(
                "error",
                "org.postgresql.util.PSQLException",
                `Connection to ${fault.ip}:${fault.port} refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.`,
                [
                  "\tat org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:352)",
                  "\tat org.postgresql.core.ConnectionFactory.openConnection(ConnectionFactory.java:54)",
                  "\tat com.zaxxer.hikari.pool.HikariPool.createPoolEntry(HikariPool.java:476)",
                  siteFrame(o, o.test.subject, 3),
                  testFrame(o, 2),
                  "Caused by: java.net.ConnectException: Connection refused",
                  "\tat java.base/sun.nio.ch.Net.pollConnect(Native Method)",
                  "\t... 38 more",
                ],
                `${isoAt(o.startedAt)}  WARN ${pid(o.random)} --- [           main] com.zaxxer.hikari.pool.PoolBase          : HikariPool-${o.random.int(1, 4)} - Pool is empty, failed to create/setup connection (${o.random.uuid()})`,
              );
          }
        };
      case "dns":
        return (o) =>
          trace("error", "java.net.UnknownHostException", `${fault.host}: Name or service not known`, [
            "\tat java.base/java.net.Inet6AddressImpl.lookupAllHostAddr(Native Method)",
            "\tat java.base/java.net.InetAddress$PlatformResolver.lookupByName(InetAddress.java:1211)",
            siteFrame(o, o.test.subject, 3),
            testFrame(o, 2),
          ]);
      case "oom-killed":
        return (o) =>
          o.random.chance(0.6)
            ? trace("error", "java.lang.OutOfMemoryError", "Java heap space", [
                "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3541)",
                "\tat java.base/java.io.ByteArrayOutputStream.ensureCapacity(ByteArrayOutputStream.java:100)",
                siteFrame(o, o.test.subject, o.random.int(2, 12)),
                testFrame(o, 2),
              ])
            : trace(
                "error",
                "org.apache.maven.surefire.booter.SurefireBooterForkException",
                `The forked VM terminated without properly saying goodbye. VM crash or System.exit called?\nCommand was /bin/sh -c cd '${o.runner.workspace}/services/${o.test.component}' && '/usr/lib/jvm/temurin-21-jdk-amd64/bin/java' '-Xmx512m' '-jar' '${o.runner.workspace}/services/${o.test.component}/target/surefire/surefirebooter-${isoAt(o.startedAt).replace(/\D/g, "").slice(0, 14)}_${o.random.int(3, 99)}.jar'\nError occurred in starting fork, check output in log\nProcess Exit Code: 137\nCrashed tests:\n${o.test.suite}`,
                ["\tat org.apache.maven.plugin.surefire.booterclient.ForkStarter.fork(ForkStarter.java:643)"],
              );
      case "disk-full":
        return (o) =>
          trace(
            "error",
            "java.io.IOException",
            "No space left on device",
            [
              "\tat java.base/sun.nio.ch.FileDispatcherImpl.write0(Native Method)",
              "\tat java.base/sun.nio.ch.FileDispatcherImpl.write(FileDispatcherImpl.java:62)",
              "\tat java.base/sun.nio.ch.IOUtil.write(IOUtil.java:132)",
              siteFrame(o, o.test.subject, o.random.int(2, 9)),
              testFrame(o, 2),
            ],
            `${isoAt(o.startedAt)} ERROR ${pid(o.random)} --- [main] c.a.${o.test.component}.storage.BlobStore : write failed for ${fault.mount}/junit${o.random.int(1e8, 9e8)}${o.random.int(1e8, 9e8)}/${o.test.component}-${javaIdentityHash(o.random)}.tmp`,
          );
    }
  },
};
