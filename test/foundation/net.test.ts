/** The address checks the config, the CLI and the nginx renderers share, on exact values. */
import { intToIpv4, ipv4ToInt, isHostName, isIpv4, isIpv4Cidr } from "../../config/net";

test.each([
  ["0.0.0.1", 1],
  ["0.0.1.2", 258],
  ["10.0.0.0", 167772160],
  ["192.0.2.10", 3221225994],
  ["255.255.255.255", 4294967295],
])("%s is %i as a number, and back", (address, value) => {
  expect(ipv4ToInt(address)).toBe(value);
  expect(intToIpv4(value)).toBe(address);
});

test.each([
  ["10.0.0.1", true],
  ["255.255.255.255", true],
  ["10.0.0.300", false],
  ["01.0.0.0", false],
  ["10.0.0", false],
])("isIpv4(%s) is %s", (value, expected) => {
  expect(isIpv4(value)).toBe(expected);
});

test.each([
  ["10.0.0.0/24", true],
  ["10.0.0.0/8", true],
  ["0.0.0.0/0", true],
  ["10.0.0.5/32", true],
  ["10.0.0.5/24", false],
  ["10.0.0.0/33", false],
  ["10.0.0.0/24x", false],
  ["a/10.0.0.0/24", false],
  ["10.0.0.0", false],
  ["10.0.0.999/24", false],
])("isIpv4Cidr(%s) is %s", (value, expected) => {
  expect(isIpv4Cidr(value)).toBe(expected);
});

const label = (length: number) => "a".repeat(length);

test.each([
  ["jetstream.lappsgrid.org", true],
  ["x", true],
  ["a.lappsgrid.org", true],
  ["host.v1", true],
  ["host.1a", true],
  [`${label(63)}.${label(63)}.${label(63)}.${label(61)}`, true],
  [`${label(63)}.${label(63)}.${label(63)}.${label(62)}`, false],
  [`${label(64)}.org`, false],
  ["10.0.0.300", false],
  ["-galaxy.org", false],
  ["galaxy-.org", false],
  ["galaxy..org", false],
])("isHostName(%s) is %s", (value, expected) => {
  expect(isHostName(value)).toBe(expected);
});
