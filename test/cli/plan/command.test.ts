import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Evaluation } from "../../../cli/offline/evaluation";
import { runJetstream } from "../../helpers/cli";
import { NO_ACME_CONTACT_WARNING, PROJECT_DIR } from "../../helpers/program";

/** A project folder with this package's Pulumi.yaml and one stack, `lab`, of the given text. */
function projectWithLabStack(stackFileText: string): string {
  const dir = mkdtempSync(join(tmpdir(), "plan-"));
  copyFileSync(join(PROJECT_DIR, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  writeFileSync(join(dir, "Pulumi.lab.yaml"), stackFileText);
  return dir;
}

describe("jetstream plan (the README's main command)", () => {
  test("prints every resource of the IU stack, protection, outputs and the SU estimate", () => {
    const { status, stdout, stderr } = runJetstream(["plan", "--stack", "iu"]);
    // HTTPS from Let's Encrypt by default for the real domain, with no contact until one is set:
    // a warning, on stderr like every other.
    expect(stderr).toBe(NO_ACME_CONTACT_WARNING);
    expect(status).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("Offline plan of stack iu (IU): 18 resources, 14 of them in the cloud.");
    expect(lines).toContain(
      "    openstack:compute/instance:Instance  lappsgrid-proxy-server  [protected; ignores drift of imageName, imageId, userData]",
    );
    expect(lines).toContain("        flavorName: m3.tiny");
    expect(lines).toContain("        floatingIp: 149.165.157.82");
    expect(stdout).toMatch(
      /^ {4}lappsgrid-proxy: size tiny \(m3\.tiny\), active, private 10\.0\.0\.\d+ \(mock\), public 149\.165\.157\.82, 1 SU\/hour$/m,
    );
    // The Galaxy the old script built runs outside the stack: no second one is planned.
    expect(stdout).not.toContain("lappsgrid-galaxy");
    expect(lines).toContain("Service units: 1 SU per hour, 24 SU per day.");
    expect(lines).toContain("    command:remote:Command  public-proxy-site");
    expect(lines).toContain(
      "  publicProxy: {domain: jetstream.lappsgrid.org, mode: online, upstream: 10.0.0.12:8080}",
    );
    expect(lines).toContain(
      "Note: proxySshKey is not set in this stack file: a placeholder stood in offline; before `pulumi up`, run `pulumi config set --secret proxySshKey --stack iu < KEYFILE`.",
    );
    expect(stdout).not.toContain("proxy.tls:");
  });

  test("--json gives the same evaluation as data, mock-made values listed", () => {
    const { status, stdout } = runJetstream(["plan", "--stack", "tacc", "--json"]);
    expect(status).toBe(0);
    const evaluation = JSON.parse(stdout) as Evaluation;
    expect(evaluation.stack).toBe("tacc");
    expect(evaluation.resources.filter((r) => r.custom).map((r) => r.name)).toEqual([
      "lappsgrid-network",
      "lappsgrid-subnet",
      "lappsgrid-router-interface",
      "lappsgrid-security-group",
      "lappsgrid-rule-tcp-22-from-0-0-0-0-0",
      "lappsgrid-rule-tcp-80-from-0-0-0-0-0",
      "lappsgrid-rule-tcp-443-from-0-0-0-0-0",
      "lappsgrid-rule-tcp-8080-from-10-0-0-0-24",
      "lappsgrid-rule-tcp-8080-from-149-165-157-82-32",
      "lappsgrid-rule-icmp-from-10-0-0-0-24",
      "lappsgrid-worker-port",
      "lappsgrid-worker-server",
      "lappsgrid-worker-floating-ip",
      "lappsgrid-worker-floating-ip-association",
    ]);
    expect(evaluation.mockValues).toContain(evaluation.outputs.networkId);
  });

  test("an unknown --stack names the option and the stacks there are", () => {
    const { status, stderr } = runJetstream(["plan", "--stack", "tac"]);
    expect(status).toBe(1);
    expect(stderr).toBe(`jetstream: --stack: no stack "tac" in ${PROJECT_DIR}; allowed: iu, tacc\n`);
  });

  test("without --stack in a project of several stacks, it asks for one", () => {
    const { status, stderr } = runJetstream(["plan"]);
    expect(status).toBe(1);
    expect(stderr).toBe(
      "jetstream: --stack: required when the project has several stacks; allowed: iu, tacc\n",
    );
  });

  test("a private key in plain text in the stack file is refused, and never printed", () => {
    const key =
      "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAA\\n-----END OPENSSH PRIVATE KEY-----";
    const dir = projectWithLabStack(`config:\n  lappsgrid-jetstream:proxySshKey: "${key}"\n`);
    const { status, stdout, stderr } = runJetstream(["plan", "--dir", dir, "--stack", "lab"]);
    expect(status).toBe(1);
    expect(stderr).toBe(
      "jetstream: invalid config in Pulumi.lab.yaml:\nproxySshKey: must be a secret, not plain text; allowed: the `secure:` value `pulumi config set --secret proxySshKey < KEYFILE` writes\n",
    );
    expect(stdout + stderr).not.toContain("b3BlbnNzaC1rZXktdjEAAAAA");
  });

  test("a shelved instance's SU estimate says what it costs until a second up shelves it", () => {
    const tacc = readFileSync(join(PROJECT_DIR, "Pulumi.tacc.yaml"), "utf8");
    const worker = "    lappsgrid-worker:\n      size: medium\n";
    expect(tacc).toContain(worker);
    const dir = projectWithLabStack(tacc.replace(worker, `${worker}      state: shelved\n`));
    const { status, stdout } = runJetstream(["plan", "--dir", dir, "--stack", "lab"]);
    expect(status).toBe(0);
    const lines = stdout.split("\n");
    const worker0 = lines.findIndex((line) =>
      line.startsWith("    lappsgrid-worker: size medium (m3.medium), shelved,"),
    );
    expect(lines[worker0]).toMatch(/, 0 SU\/hour$/);
    expect(lines[worker0 + 1]).toBe(
      "      if this `pulumi up` creates it: it boots ACTIVE (the provider applies only shutoff at create) and costs 8 SU/hour until a second `pulumi up` shelves it",
    );
    expect(lines).toContain("Service units: 0 SU per hour, 0 SU per day.");
    expect(lines).toContain(
      "Service units while a second `pulumi up` is due (shelved instances this one creates run ACTIVE): up to 8 SU per hour more.",
    );
  });

  test("a bad stack file fails with the key named, exit 1, nothing on stdout", () => {
    const dir = projectWithLabStack("config:\n  lappsgrid-jetstream:instances:\n    galaxy: { ip: free }\n");
    const { status, stdout, stderr } = runJetstream(["plan", "--dir", dir, "--stack", "lab"], {
      cwd: PROJECT_DIR,
    });
    expect(stdout).toBe("");
    expect(status).toBe(1);
    expect(stderr).toContain('instances.galaxy.ip: "free" is neither "assign" nor an IPv4 address');
  });
});
