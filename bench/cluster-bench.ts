import { faker } from "@faker-js/faker";
import { nearestCluster, siteOf, widenTemplate, type KnownCluster } from "../dist/analysis/failure-clusters.js";
import { failureSignature, type FailureText } from "../dist/analysis/failure-signature.js";
import { adjustedRandIndex } from "./eval/partition-metrics.js";

/** A root cause: a message pattern raised at one place, filled with new values every time. */
interface Cause {
  readonly make: () => FailureText;
}

function causes(count: number): Cause[] {
  const shapes: ((i: number) => Cause)[] = [
    // A refused connection is one service's outage: one address per cause, as in CI, where a
    // service keeps its address; the client's code path (and so the stack) varies by cause.
    (i) => {
      const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:${5000 + (i % 1000)}`;
      return {
        make: () => ({
          type: null,
          message: `connect ECONNREFUSED ${address}`,
          stack: `Error: connect ECONNREFUSED\n    at TCPConnectWrap.afterConnect (node:net:1555:16)\n    at Client${i}.connect (/home/runner/work/app/src/db/client${i}.ts:${faker.number.int(99)}:11)`,
        }),
      };
    },
    (i) => ({
      make: () => ({
        type: "java.lang.AssertionError",
        message: `expected:<${faker.number.int(999)}> but was:<${faker.number.int(999)}>`,
        stack: `java.lang.AssertionError\n\tat org.junit.Assert.fail(Assert.java:89)\n\tat com.example.s${i}.CartTest.totals(CartTest.java:${faker.number.int(300)})`,
      }),
    }),
    (i) => ({
      make: () => ({
        type: "TimeoutError",
        message: `page.click: Timeout ${faker.number.int({ min: 1, max: 60 })}000ms exceeded waiting for locator('#btn-${i}')`,
        stack: `TimeoutError: page.click\n    at /builds/app/tests/e2e/flow${i}.spec.ts:${faker.number.int(99)}:20`,
      }),
    }),
    (i) => ({
      make: () => ({
        type: null,
        message: `panic: runtime error: index out of range [${faker.number.int(9)}] with length ${faker.number.int(9)}`,
        stack: `goroutine ${faker.number.int(99)} [running]:\nexample.com/shop/p${i}.Item(...)\n\t/home/runner/work/shop/p${i}/item.go:${faker.number.int(99)} +0x1d`,
      }),
    }),
    (i) => ({
      make: () => ({
        type: "AssertionError",
        message: `assert ${faker.number.int(99)} == ${faker.number.int(99)} for user ${faker.internet.username()}`,
        stack: `  File "/builds/app/tests/test_mod${i}.py", line ${faker.number.int(99)}, in test_case_${i}`,
      }),
    }),
  ];
  return Array.from({ length: count }, (_, i) => (shapes[i % shapes.length] as (i: number) => Cause)(i));
}

/**
 * Clusters `count` generated failure messages of `causeCount` root causes with Kaizen's
 * clustering (signature, code site, positional near-duplicates), in memory, and scores the
 * result against the true causes.
 */
export function benchClustering(count: number, causeCount = 500): { seconds: number; clusters: number; ari: number } {
  faker.seed(11);
  const all = causes(causeCount);
  const truth = new Int32Array(count);
  const texts: FailureText[] = [];
  for (let i = 0; i < count; i++) {
    const cause = faker.number.int(causeCount - 1);
    truth[i] = cause;
    texts.push((all[cause] as Cause).make());
  }
  const predicted = new Int32Array(count);
  const byFingerprint = new Map<string, number>();
  const bySite = new Map<string, (KnownCluster & { template: string[]; failures: number })[]>();
  let next = 0;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const signature = failureSignature(texts[i] as FailureText);
    let id = byFingerprint.get(signature.fingerprint);
    if (id === undefined) {
      const site = siteOf(signature);
      const candidates = bySite.get(site) ?? [];
      bySite.set(site, candidates);
      const template = signature.messageTemplate.split(" ");
      const nearest = nearestCluster(template, candidates);
      if (nearest === undefined) {
        id = next++;
        candidates.push({ id, template, failures: 0 });
      } else {
        id = nearest.id;
        const entry = candidates.find((c) => c.id === nearest.id);
        if (entry !== undefined) entry.template = widenTemplate(entry.template, template);
      }
      byFingerprint.set(signature.fingerprint, id);
    }
    predicted[i] = id;
  }
  const seconds = (performance.now() - start) / 1000;
  return { seconds, clusters: next, ari: adjustedRandIndex(Array.from(truth), Array.from(predicted)) };
}
