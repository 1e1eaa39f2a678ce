/**
 * launch as a function: the exact text it writes and the exact refusals, in this process (the verb
 * tests run the CLI outside jest; these are what the mutation score of launch.ts stands on).
 */
import { launchInstance } from "../../../cli/launch/launch";
import { stackText, VerbRefusal } from "../../../cli/stack-file/text";

const LAB = [
  "config:",
  "  lappsgrid-jetstream:cloud: TACC",
  "  lappsgrid-jetstream:keypair:",
  "    name: lab-key",
  "  lappsgrid-jetstream:images:",
  "    docker: Featured-Ubuntu22-Docker",
  "  lappsgrid-jetstream:instances:",
  "    worker:",
  "      size: small",
  "",
].join("\n");

const ALLOWED_NAME =
  'allowed: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters with the lappsgrid- prefix';

function launch(request: Parameters<typeof launchInstance>[1]) {
  return launchInstance(stackText("lab", LAB), request);
}

function refusal(request: Parameters<typeof launchInstance>[1]): string {
  try {
    launch(request);
  } catch (error) {
    expect(error).toBeInstanceOf(VerbRefusal);
    return (error as VerbRefusal).message;
  }
  throw new Error("expected launch to refuse");
}

describe("launch writes one new instance entry", () => {
  test("without options: the prefixed name, size medium, image ubuntu, no ip", () => {
    expect(launch({ name: "galaxy" })).toEqual({
      text: `${LAB}    lappsgrid-galaxy:\n      size: medium\n      image: ubuntu\n`,
      summary: "lappsgrid-galaxy: launched (size medium, image ubuntu)",
    });
  });

  test("with size, image and ip: each written as chosen, in that order", () => {
    expect(launch({ name: "lappsgrid-pub", size: "large", image: "docker", ip: "assign" })).toEqual({
      text: `${LAB}    lappsgrid-pub:\n      size: large\n      image: docker\n      ip: assign\n`,
      summary: "lappsgrid-pub: launched (size large, image docker, ip assign)",
    });
  });

  test("an address allocated earlier is written as the ip", () => {
    expect(launch({ name: "pub", ip: "149.165.9.10" }).summary).toBe(
      "lappsgrid-pub: launched (size medium, image ubuntu, ip 149.165.9.10)",
    );
  });
});

describe("launch refuses, naming the argument and what is allowed", () => {
  test.each([
    [
      "worker",
      "instance lappsgrid-worker already exists in Pulumi.lab.yaml; pick another name, or use suspend/resume/stop/start on it",
    ],
    [
      "lappsgrid-worker",
      "instance lappsgrid-worker already exists in Pulumi.lab.yaml; pick another name, or use suspend/resume/stop/start on it",
    ],
  ])("an instance that exists as %s", (name, message) => {
    expect(refusal({ name })).toBe(message);
  });

  test("an empty name (an unset shell variable)", () => {
    expect(refusal({ name: "" })).toBe(
      `launch NAME: an empty name (an unset shell variable?) is not an instance name; ${ALLOWED_NAME}`,
    );
  });

  test.each(["Galaxy", "-web", "web-", "lappsgrid-"])("the name %j", (name) => {
    expect(refusal({ name })).toBe(
      `launch NAME: ${JSON.stringify(name)} is not an instance name; ${ALLOWED_NAME}`,
    );
  });

  test("a name of 53 characters (63 with the prefix) is taken, 54 refused", () => {
    expect(launch({ name: "a".repeat(53) }).summary).toBe(
      `lappsgrid-${"a".repeat(53)}: launched (size medium, image ubuntu)`,
    );
    expect(refusal({ name: "a".repeat(54) })).toBe(
      `launch NAME: "${"a".repeat(54)}" is 64 characters long with the lappsgrid- prefix, not an instance name; ${ALLOWED_NAME}`,
    );
  });

  test.each([
    [
      { ip: "" },
      "launch --ip: an empty value (an unset shell variable?); allowed: assign, or a public address allocated earlier in this cloud",
    ],
    [
      { size: "" },
      "launch --size: an empty value (an unset shell variable?); allowed: tiny, small, medium, large, xlarge",
    ],
    [
      { image: "" },
      "launch --image: an empty value (an unset shell variable?); allowed: an image alias of this stack (centos, docker, ubuntu)",
    ],
  ])("an empty option %j", (options, message) => {
    expect(refusal({ name: "web", ...options })).toBe(message);
  });

  test("an empty option is refused before the name is looked up", () => {
    expect(refusal({ name: "worker", size: "" })).toBe(
      "launch --size: an empty value (an unset shell variable?); allowed: tiny, small, medium, large, xlarge",
    );
  });
});
