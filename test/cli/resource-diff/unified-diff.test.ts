/** The stack file's own diff, as `git diff` prints it (jsdiff's createTwoFilesPatch). */
import { unifiedDiff } from "../../../cli/resource-diff/format";

test("a file without a final newline gets git's marker on the changed last line", () => {
  expect(unifiedDiff("a\nb", "a\nc", "Pulumi.iu.yaml")).toBe(
    "--- a/Pulumi.iu.yaml\n+++ b/Pulumi.iu.yaml\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n",
  );
});

test("two changes more than six lines apart are two hunks", () => {
  const before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
  const after = "one\n2\n3\n4\n5\n6\n7\n8\n9\nten\n";
  expect(unifiedDiff(before, after, "f")).toBe(
    "--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n@@ -7,4 +7,4 @@\n 7\n 8\n 9\n-10\n+ten\n",
  );
});
