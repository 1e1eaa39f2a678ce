/**
 * pr-comment.yml's script, run with a fake GitHub: a stack an earlier push changed and the
 * latest one does not keeps no stale diff in its comment.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { allSteps, readWorkflows } from "./workflow-files";

interface Comment {
  id: number;
  user: { type: string };
  body: string;
}

const workflow = readWorkflows().find((candidate) => candidate.file === "pr-comment.yml");
const script = String(
  allSteps(workflow!).find(({ step }) => step.uses?.startsWith("actions/github-script@"))?.step.with?.script,
);
const HEAD = "abcdef0123456789abcdef0123456789abcdef01";

/** Runs the script in a folder holding `files` under pr-comment/, against `comments`. */
async function postComments(files: Record<string, string>, comments: Comment[]) {
  const dir = mkdtempSync(join(tmpdir(), "pr-comment-stale-"));
  mkdirSync(join(dir, "pr-comment"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "pr-comment", name), text);
  const calls: string[] = [];
  const github = {
    paginate: async () => comments,
    rest: {
      pulls: { get: async () => ({ data: { head: { sha: HEAD } } }) },
      issues: {
        listComments: {},
        updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
          calls.push(`update ${comment_id}: ${body}`);
        },
        createComment: async ({ body }: { body: string }) => {
          calls.push(`create: ${body}`);
        },
      },
    },
  };
  const context = { repo: { owner: "o", repo: "r" }, payload: { workflow_run: { head_sha: HEAD } } };
  const core = { info: (line: string) => calls.push(`info: ${line}`) };
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const run = new Function(
      "require",
      "github",
      "context",
      "core",
      `return (async () => {\n${script}\n})();`,
    );
    await run(require, github, context, core);
  } finally {
    process.chdir(cwd);
  }
  return calls;
}

const bot = (id: number, body: string): Comment => ({ id, user: { type: "Bot" }, body });

test("a stack no longer changed: its earlier comment says so instead of the old diff", async () => {
  const calls = await postComments({ "pull-request-number": "42\n" }, [
    bot(
      7,
      "<!-- jetstream-diff:iu -->\n### `jetstream diff`: stack `iu`\n\n**0** to create, **1** to update",
    ),
    { id: 8, user: { type: "User" }, body: "<!-- jetstream-diff:iu -->\nquoted by a person" },
  ]);
  expect(calls).toEqual([
    "update 7: <!-- jetstream-diff:iu -->\n### `jetstream diff`: stack `iu`\n\nThis pull request no longer changes stack `iu` (as of abcdef0): no diff.",
  ]);
});

test("a stack still changed gets its new diff; a comment already saying 'no longer' is left alone", async () => {
  const stale =
    "<!-- jetstream-diff:tacc -->\n### `jetstream diff`: stack `tacc`\n\nThis pull request no longer changes stack `tacc` (as of abcdef0): no diff.";
  const calls = await postComments(
    { "pull-request-number": "42\n", "iu.md": "<!-- jetstream-diff:iu -->\nnew diff\n" },
    [bot(7, "<!-- jetstream-diff:iu -->\nold diff"), bot(9, stale)],
  );
  expect(calls).toEqual(["update 7: <!-- jetstream-diff:iu -->\nnew diff\n"]);
});

test("pull-request.yml hands the pull request number over even when no stack changed", () => {
  const { jobs } = readWorkflows().find((candidate) => candidate.file === "pull-request.yml")!;
  const upload = jobs["pull-request-number"]?.steps?.find((step) =>
    step.uses?.startsWith("actions/upload-artifact@"),
  );
  expect(upload?.with).toMatchObject({ name: "jetstream-diff-pull-request", path: "pr-comment/" });
});
