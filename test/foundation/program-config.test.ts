/** What the program itself accepts from the engine, whichever way the stack file reached it. */
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig, projectConfigValues, requireProxySshKey } from "../../config/program";

const KEY_TEXT =
  "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----";

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: () => {
        throw new Error("no resource may be registered");
      },
      call: () => {
        throw new Error("no data source may be read");
      },
    },
    "lappsgrid-jetstream",
    "iu",
  );
});

describe("the proxy's SSH key reaches the program only as a secret", () => {
  test("a plain-text proxySshKey (a literal in the stack file, not `secure:`) stops the program, without echoing it", () => {
    // The engine hands secrets over decrypted and lists their keys apart: only that list tells.
    pulumi.runtime.setAllConfig({ "lappsgrid-jetstream:proxySshKey": KEY_TEXT }, []);
    let message = "";
    try {
      loadStackConfig();
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).toBe(
      "invalid config in Pulumi.iu.yaml:\nproxySshKey: must be a secret, not plain text; allowed: the `secure:` value `pulumi config set --secret proxySshKey < KEYFILE` writes",
    );
    expect(message).not.toContain("b3BlbnNzaC1rZXktdjEAAAAA");
  });

  test("the same key set with `pulumi config set --secret` is accepted", () => {
    pulumi.runtime.setAllConfig({ "lappsgrid-jetstream:proxySshKey": KEY_TEXT }, [
      "lappsgrid-jetstream:proxySshKey",
    ]);
    expect(loadStackConfig().cloud).toBe("iu");
  });
});

/** The message a call throws, or "" when it does not. */
function thrown(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return "";
}

describe("the values the engine hands over", () => {
  test("structured values arrive as JSON text and are decoded; scalars and broken JSON stay text", () => {
    pulumi.runtime.setAllConfig(
      {
        "lappsgrid-jetstream:instances": '{"galaxy":{"size":"large"}}',
        "lappsgrid-jetstream:sshFrom": ' ["10.0.0.0/8"]',
        "lappsgrid-jetstream:cloud": "iu",
        "lappsgrid-jetstream:note": "{not json",
        "lappsgrid-jetstream:port": "8080",
        "lappsgrid-jetstream:flag": "true",
        "lappsgrid-jetstream:proxySshKey": KEY_TEXT,
        "openstack:region": "IU",
      },
      ["lappsgrid-jetstream:proxySshKey"],
    );
    expect(projectConfigValues()).toEqual({
      instances: { galaxy: { size: "large" } },
      sshFrom: ["10.0.0.0/8"],
      cloud: "iu",
      note: "{not json",
      port: "8080",
      flag: "true",
    });
  });

  test("a key in a namespace nothing reads stops the program, naming the stack file", () => {
    pulumi.runtime.setAllConfig({ "lappsgrid:cloud": "iu" }, []);
    expect(thrown(loadStackConfig)).toBe(
      'invalid config in Pulumi.iu.yaml:\nlappsgrid:cloud: unknown config namespace "lappsgrid"; allowed: lappsgrid-jetstream, openstack, command, pulumi',
    );
  });

  test("a bad value stops the program with every problem under the stack file's name", () => {
    pulumi.runtime.setAllConfig(
      { "lappsgrid-jetstream:sshFrom": '["10.0.0.0/8"]', "lappsgrid-jetstream:cloud": "iu" },
      [],
    );
    expect(thrown(loadStackConfig)).toBe(
      "invalid config in Pulumi.iu.yaml:\nsshFrom: unknown key; allowed keys: cloud, network, securityGroup, keypair, sizes, images, instances, proxy, proxySshKey, proxyTlsCertificate, proxyTlsKey",
    );
  });

  test("without proxySshKey, the proxy cannot be driven: the message says how to set it", () => {
    pulumi.runtime.setAllConfig({}, []);
    expect(thrown(requireProxySshKey)).toBe(
      "invalid config in Pulumi.iu.yaml:\nproxySshKey: required when a proxy block is present; set it with: pulumi config set --secret proxySshKey --stack iu < KEYFILE",
    );
  });

  test("a secret proxySshKey comes back as a secret output", async () => {
    pulumi.runtime.setAllConfig({ "lappsgrid-jetstream:proxySshKey": KEY_TEXT }, [
      "lappsgrid-jetstream:proxySshKey",
    ]);
    const key = requireProxySshKey();
    expect(await pulumi.isSecret(key)).toBe(true);
    expect(await new Promise((resolve) => key.apply(resolve))).toBe(KEY_TEXT);
  });
});
