/** What the program itself accepts from the engine, whichever way the stack file reached it. */
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "../../config/program";

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
