/**
 * The framed candidate the apply script reads on stdin, written out, and the refusals that keep
 * a part from cutting the frame short on the host.
 */
import { renderApplyCommand, renderApplyInput, renderApplyStdin } from "../../components/proxy/apply-input";

const PROBE = {
  host: "10.0.0.12",
  port: 8080,
  path: "/api/version",
  statuses: "200-399,401",
  tries: 3,
  interval: 2,
};

test("the frame: magic line, site, page, probe settings one per line, end marker", () => {
  expect(renderApplyInput({ site: "server {}\n", page: "<p>off</p>", probe: PROBE })).toBe(
    [
      "lappsgrid-proxy-apply 1",
      "#== site",
      "server {}",
      "#== page",
      "<p>off</p>",
      "#== probe",
      "host 10.0.0.12",
      "port 8080",
      "path /api/version",
      "statuses 200-399,401",
      "tries 3",
      "interval 2",
      "#== end",
      "",
    ].join("\n"),
  );
});

test("offline has no probe section; stdin is the script, then the frame", () => {
  expect(renderApplyStdin("#!/bin/sh\nexit 0\n", { site: "s\n", page: "p\n" })).toBe(
    "#!/bin/sh\nexit 0\nlappsgrid-proxy-apply 1\n#== site\ns\n#== page\np\n#== end\n",
  );
});

test.each([
  ["site", { site: "server {}\n#== end\n", page: "p" }, 'proxy site: contains the framing line "#== end"'],
  ["site", { site: "#== page\n", page: "p" }, 'proxy site: contains the framing line "#== page"'],
  ["page", { site: "s", page: "a\n#== site\nb" }, 'proxy page: contains the framing line "#== site"'],
  ["page", { site: "s", page: "#== probe" }, 'proxy page: contains the framing line "#== probe"'],
  [
    "page",
    { site: "s", page: "x\nlappsgrid-proxy-apply 1\n" },
    'proxy page: contains the framing line "lappsgrid-proxy-apply 1"',
  ],
])("a %s holding a framing line is refused, naming the line", (_, candidate, message) => {
  expect(() => renderApplyInput(candidate)).toThrow(new Error(message));
});

test("a marker inside a longer line is text, not a frame line", () => {
  expect(renderApplyInput({ site: "# see #== end\n", page: " #== page" })).toBe(
    "lappsgrid-proxy-apply 1\n#== site\n# see #== end\n#== page\n #== page\n#== end\n",
  );
});

test.each([
  ["path", { ...PROBE, path: "/a\nb" }, 'proxy health probe: path "/a\\nb" must be one non-empty line'],
  ["path", { ...PROBE, path: "/a\rb" }, 'proxy health probe: path "/a\\rb" must be one non-empty line'],
  ["statuses", { ...PROBE, statuses: "" }, 'proxy health probe: statuses "" must be one non-empty line'],
  ["host", { ...PROBE, host: "" }, 'proxy health probe: host "" must be one non-empty line'],
])("a probe %s that is not one non-empty line is refused", (_, probe, message) => {
  expect(() => renderApplyInput({ site: "s", page: "p", probe })).toThrow(new Error(message));
});

test("a quote in the apply script never reaches the command line: it carries only the script's size and hash", () => {
  const command = renderApplyCommand("echo 'quoted words'\n");
  expect(command.startsWith("sudo -n sh -c 'set -eu\n")).toBe(true);
  expect(command).not.toContain("quoted words");
  expect(command).toContain("head -c 20 >");
});
