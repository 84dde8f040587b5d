/** Whether a `file:function` frame is test code: test directories, `*.test.*`, `_test.go`, `*Test.java`. */
export function isTestCode(frame: string): boolean {
  return /(?:^|[/\\._-])(?:test|tests|spec|specs|__tests__|e2e)(?:[/\\._-]|$)|_test\.go|Tests?\.(?:java|kt|cs)/i.test(
    frame,
  );
}
