/**
 * The proxy host's user data as the program passes it to nova. Nova replaces a server whose
 * user data changes, so it must not vary with the site's mode or target: compared here across
 * evaluations of the program, and its offline page against the page written out.
 */
import { parse } from "yaml";
import { PROXY_PAGE_DIR } from "../../components/proxy/host-layout";
import { evaluateProgram, resourceNamed, shippedStackText } from "../helpers/program";
import { DEFAULT_OFFLINE_PAGE_HTML } from "../helpers/proxy-host-user-data";

const proxyUserData = async (stackFileText: string): Promise<string> => {
  const evaluation = await evaluateProgram("iu", stackFileText);
  const userData = resourceNamed(evaluation, "lappsgrid-proxy-server").inputs.userData;
  if (typeof userData !== "string") throw new Error(`proxy server user data: ${JSON.stringify(userData)}`);
  return userData;
};

describe("the proxy host's user data", () => {
  const online = shippedStackText("iu");
  let shipped: string;
  beforeAll(async () => {
    expect(online).toContain("    mode: online\n    target: 10.0.0.12\n");
    shipped = await proxyUserData(online);
  });

  test("is the same with the site offline and with another target, so neither switch replaces the server", async () => {
    const offline = online.replace("    mode: online\n", "    mode: offline\n");
    const elsewhere = online.replace("    target: 10.0.0.12\n", "    target: 149.165.168.5\n");
    expect(offline).not.toBe(online);
    expect(elsewhere).not.toBe(online);
    // One at a time: the mock runtime is global to the process.
    const whenOffline = await proxyUserData(offline);
    const withAddress = await proxyUserData(elsewhere);
    expect(whenOffline).toBe(shipped);
    expect(withAddress).toBe(shipped);
  });

  test("starts with #cloud-config and carries the default offline page, written out here", () => {
    expect(shipped.startsWith("#cloud-config\n")).toBe(true);
    const files = (parse(shipped) as { write_files: { path: string; content: string }[] }).write_files;
    expect(files.find((file) => file.path === `${PROXY_PAGE_DIR}/offline.html`)?.content).toBe(
      DEFAULT_OFFLINE_PAGE_HTML,
    );
  });
});
