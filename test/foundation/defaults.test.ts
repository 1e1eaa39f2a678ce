/** What a stack gets for what it leaves out: the old script's sizes on Jetstream2 flavors, the featured images, the offline page's words. */
import { validateStackConfig } from "../../config";

describe("an instance's size and image, when the stack defines none of its own", () => {
  test.each([
    ["tiny", "m3.tiny", 1],
    ["small", "m3.small", 2],
    ["medium", "m3.medium", 8],
    ["large", "m3.large", 16],
    ["xlarge", "m3.xl", 32],
  ])("size %s is flavor %s with %d vCPUs", (size, flavor, vcpus) => {
    const config = validateStackConfig({ instances: { web: { size } } }, "lab");
    expect(config.instances[0].flavor).toEqual({ flavor, vcpus });
  });

  test.each([
    ["ubuntu", "Featured-Ubuntu24"],
    ["centos", "Featured-RockyLinux9"],
  ])("image %s is %s", (image, imageName) => {
    const config = validateStackConfig({ instances: { web: { image } } }, "lab");
    expect(config.instances[0].imageName).toBe(imageName);
  });
});

test("an offline proxy without its own words shows the default title and message", () => {
  const config = validateStackConfig({ proxy: { host: "149.165.157.82", mode: "offline" } }, "lab");
  expect(config.proxy?.offlineTitle).toBe("LAPPS Grid on Jetstream is offline");
  expect(config.proxy?.offlineMessage).toBe(
    "This service has been taken offline to preserve resources. It will be back when it is needed; please try again later or write to the LAPPS Grid team.",
  );
});
