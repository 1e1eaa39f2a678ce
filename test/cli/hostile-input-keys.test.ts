/**
 * `proxy.hostKey` pins the proxy host's SSH host key and `keypair.publicKey` becomes the servers'
 * login key: a line that only looks like a key (a type, then base64) would be written into the
 * apply command's known_hosts or nova and fail there, far from the stack file. Each is decoded:
 * the base64 must be exact and the blob must carry the same key type (and curve), whole.
 * Every key below was made with ssh-keygen for this test; the broken ones were made from them.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { problemsIn } from "../helpers/config";
import { copyProject, read, runVerb } from "./support";

const problems = (values: Record<string, unknown>) => problemsIn(values);

const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICCczeEeB41w8TjJKL2i/IBgGppF52VACFQ37VJm31Rq";
const ECDSA =
  "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBBmI0PmDqnngz4RNWb8CZ1OBdjzIHJKS9wF4Db2+MBJ+gqGZm916kh1QZdJyHtlS4BbqwizLzf7GN2OBRsYn0RY=";
const RSA =
  "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDFewOm9+LH+HIFybWDdxz8X3awXIdGmL2ilEkHmu6LqYf6HgioOa/OgZAuughPzx7rACyt6Fk3d8+Iel7OX4iSzrZrmkTlmyWTITQHL9UTOCOF3SGpSHe+8ssbdnPjJrdL002M1RzwY8oimAqEpZhze+iFIdg4liOb1GllousK4sH5xQw/JVz6QIuAfBrIzy56VqAPegokepTapOuY60GklMA/nC3/sAhzKk9T2VtsucIXN5tvkG9xkhTc0Z1xBufSWo5KT76bWMHfOaviGbOb5BwPL69PzrT8g32NpqMNgFFjMlbpraXyrSf/3ppHcDfwInMjVU43WW5NHyA4JWeF";

/** A proxy host this stack does not manage, its site offline: only the host key is judged. */
const proxyWith = (hostKey: string) => ({ proxy: { host: "149.165.157.82", mode: "offline", hostKey } });

const HOST_KEY_ALLOWED =
  'allowed: one line like "ssh-ed25519 AAAA...", as `ssh-keyscan -t ed25519 HOST` prints it without the host name';

describe("proxy.hostKey is decoded", () => {
  test.each([
    ["ed25519", ED25519],
    ["ed25519 with a comment", `${ED25519} proxy.lappsgrid.org`],
    ["ecdsa nistp256", ECDSA],
    ["rsa", RSA],
  ])("a real %s key is accepted", (_case, hostKey) => {
    expect(problems(proxyWith(hostKey))).toEqual([]);
  });

  test.each([
    [
      "an ed25519 blob declared as ssh-rsa",
      "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAICCczeEeB41w8TjJKL2i/IBgGppF52VACFQ37VJm31Rq",
      "its key data says ssh-ed25519, not ssh-rsa",
    ],
    [
      "an ecdsa blob declared as another curve",
      ECDSA.replace("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384"),
      "its key data says ecdsa-sha2-nistp256, not ecdsa-sha2-nistp384",
    ],
    [
      "a made-up key of 35 base64 characters",
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0m0ck0nly",
      "its key data is not base64",
    ],
    [
      "a key cut off after 40 characters",
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICCczeEeB41w8TjJ",
      "its key data is cut off",
    ],
    ["base64 that does not decode", "ssh-ed25519 AAAA1", "its key data is not base64"],
    ["padding in the middle", "ssh-ed25519 AAAA=AAA", "its key data is not base64"],
    [
      "bytes after the key",
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICCczeEeB41w8TjJKL2i/IBgGppF52VACFQ37VJm31RqAAAAAA==",
      "its key data has 4 bytes after the key",
    ],
    [
      "an ed25519 key of 16 bytes",
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAECCczeEeB41w8TjJKL2i/IA=",
      "its ed25519 key is 16 bytes, not 32",
    ],
    [
      "an ecdsa key naming another curve inside",
      "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAzODQAAABBBBmI0PmDqnngz4RNWb8CZ1OBdjzIHJKS9wF4Db2+MBJ+gqGZm916kh1QZdJyHtlS4BbqwizLzf7GN2OBRsYn0RY=",
      "its key data names curve nistp384, not nistp256",
    ],
    [
      "an ed25519 key missing its last 3 bytes",
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICCczeEeB41w8TjJKL2i/IBgGppF52VACFQ37VJm",
      "its key data is cut off",
    ],
    [
      "a key cut off inside the length of its second field",
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAA=",
      "its key data is cut off",
    ],
    [
      "an rsa key with an empty modulus",
      "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAAA==",
      "its RSA modulus is empty",
    ],
    [
      "an ecdsa point of 64 bytes",
      "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABABBmI0PmDqnngz4RNWb8CZ1OBdjzIHJKS9wF4Db2+MBJ+gqGZm916kh1QZdJyHtlS4BbqwizLzf7GN2OBRsYn0Q==",
      "its nistp256 point is 64 bytes, not 65",
    ],
    [
      "an ecdsa point of the right length not in uncompressed form",
      "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBAhmI0PmDqnngz4RNWb8CZ1OBdjzIHJKS9wF4Db2+MBJ+gqGZm916kh1QZdJyHtlS4BbqwizLzf7GN2OBRsYn0RY=",
      "its nistp256 point starts with byte 2, not 4 (an uncompressed point)",
    ],
  ])("%s is refused, saying why", (_case, hostKey, why) => {
    expect(problems(proxyWith(hostKey))).toEqual([
      `proxy.hostKey: ${JSON.stringify(hostKey)} is not an SSH host key (${why}); ${HOST_KEY_ALLOWED}`,
    ]);
  });
});

describe("keypair.publicKey is decoded the same way", () => {
  test("a real key is accepted", () => {
    expect(problems({ keypair: { publicKey: `${ED25519} ops@lappsgrid` } })).toEqual([]);
  });

  test("a key whose data is another type is refused with the value and why", () => {
    const publicKey =
      "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAICCczeEeB41w8TjJKL2i/IBgGppF52VACFQ37VJm31Rq ops@lappsgrid";
    expect(problems({ keypair: { publicKey } })).toEqual([
      `keypair.publicKey: ${JSON.stringify(publicKey)} is not an OpenSSH public key (its key data says ssh-ed25519, not ssh-rsa); allowed: one line starting with ssh-ed25519, ssh-rsa or ecdsa-sha2-*, as the .pub file holds it`,
    ]);
  });

  test("a line that is not a key at all names the value too", () => {
    expect(problems({ keypair: { publicKey: "AAAAC3Nza ops@lappsgrid" } })).toEqual([
      'keypair.publicKey: "AAAAC3Nza ops@lappsgrid" is not an OpenSSH public key; allowed: one line starting with ssh-ed25519, ssh-rsa or ecdsa-sha2-*, as the .pub file holds it',
    ]);
  });
});

describe("a verb on a stack file holding a broken host key", () => {
  test("offline is refused with the key path and why, and changes no file", () => {
    const dir = copyProject();
    const broken = "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAICCczeEeB41w8TjJKL2i/IBgGppF52VACFQ37VJm31Rq";
    const iu = read(dir, "Pulumi.iu.yaml").replace(
      "    domain: jetstream.lappsgrid.org\n",
      `    domain: jetstream.lappsgrid.org\n    hostKey: ${broken}\n`,
    );
    writeFileSync(join(dir, "Pulumi.iu.yaml"), iu);
    expect(runVerb(["offline", "--stack", "iu", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `jetstream: Pulumi.iu.yaml is not valid as it is; fix it first (\`jetstream plan --stack iu\`):\n  proxy.hostKey: "${broken}" is not an SSH host key (its key data says ssh-ed25519, not ssh-rsa); ${HOST_KEY_ALLOWED}\n`,
    });
    expect(read(dir, "Pulumi.iu.yaml")).toBe(iu);
  });
});
