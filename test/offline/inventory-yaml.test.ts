/** An inventory that is not YAML is named in one line: where, what is wrong, and the line as written. */
import { InventoryError, parseInventory } from "../../cli/offline/inventory";

test("an unclosed flow list names its line and column, what is wrong and the line, with nothing dangling", () => {
  const text = "cloud: IU\nquotas: { routers: 1 }\nflavors: []\n  - [\n";
  expect(() => parseInventory(text, "inventory/iu.yaml")).toThrow(InventoryError);
  expect(() => parseInventory(text, "inventory/iu.yaml")).toThrow(
    "inventory/iu.yaml: not YAML at line 4, column 1: A block sequence may not be used as an implicit map key (- [)",
  );
});

test("a tab used for indentation names the line as written", () => {
  const text = "cloud: IU\nquotas:\n\trouters: 1\n";
  expect(() => parseInventory(text, "inventory/iu.yaml")).toThrow(
    "inventory/iu.yaml: not YAML at line 3, column 1: Tabs are not allowed as indentation (routers: 1)",
  );
});

test.each([
  ["quotas:\n  routers: 1e400\n", "quotas.routers: 1e400 is not allowed; allowed: a number"],
  ["quotas: { routers: -1e400 }\n", "quotas.routers: -1e400 is not allowed; allowed: a number"],
  ['quotas:\n  routers: "1"\n', 'quotas.routers: "1" is not allowed; allowed: a number'],
])("a number is named as the inventory writes it, not as YAML read it: %j", (quotas, problem) => {
  const text = `cloud: IU\n${quotas}flavors: []\nimages: []\nexternalNetworks: []\nkeypairs: []\n`;
  expect(() => parseInventory(text, "inventory/iu.yaml")).toThrow(
    `inventory/iu.yaml: ${problem}; fix the file or refresh it from the cloud (README, "The inventory")`,
  );
});

test("a second document is named where it starts, without the parser's advice to the programmer", () => {
  const text = "cloud: IU\nflavors: []\n---\ncloud: TACC\n";
  expect(() => parseInventory(text, "inventory/iu.yaml")).toThrow(
    "inventory/iu.yaml: not YAML at line 3, column 1: a second document starts here; allowed: one document (---)",
  );
});
