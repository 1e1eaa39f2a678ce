/**
 * `jetstream inventory import --stack S --from DIR`: records what exists in the stack's project
 * in `inventory/S.yaml` from the openstack CLI's JSON output (cli/offline/inventory-import.ts
 * lists the files), for `plan` and `diff` to check the stack against.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loneCarriageReturnProblem } from "../../config/stack-file";
import { inventoryPath, parseInventory } from "../offline/inventory";
import { generatedHeader, inventoryFromOpenstackJson, renderInventory } from "../offline/inventory-import";
import { keepLineEndings } from "../stack-file/line-endings";
import { writeFileAtomically } from "../stack-file/write";

/**
 * Everything before the file's first key, as written (LF line endings): comment and blank lines,
 * a `%YAML` directive, the `---` that starts the document, and the byte-order mark an editor on
 * Windows may have saved before them.
 */
function headerOf(text: string): string {
  return (
    /^\ufeff?(?:(?:[ \t]*(?:#[^\r\n]*)?|%[^\r\n]*|---[ \t]*(?:#[^\r\n]*)?)\r?\n)*/.exec(text)?.[0] ?? ""
  ).replace(/\r\n/g, "\n");
}

/** What the refresh says of a header it kept: how many lines, and what kind. */
function keptNote(header: string): string {
  const lines = header.split("\n").slice(0, -1);
  const count = lines.length === 1 ? "the line" : `the ${lines.length} lines`;
  const kinds = lines.every((line) => /^\ufeff?[ \t]*(?:#|$)/.test(line))
    ? "comments"
    : "comments, directives, ---";
  return `Kept ${count} before the first key (${kinds}) as they were: check they still say what the file holds.`;
}

/** A kept header that breaks the file (two `---`, a directive after one) would stop every plan. */
function refuseUnreadable(refreshed: string, header: string, stack: string): void {
  try {
    parseInventory(refreshed, `inventory/${stack}.yaml`);
  } catch {
    const count = header.split("\n").length - 1;
    const lines = count === 1 ? "line 1" : `lines 1-${count}`;
    throw new Error(
      `inventory/${stack}.yaml: ${lines} before the first key do not start one YAML document, and a refresh keeps them; ` +
        "allowed: comments, a %YAML directive, then one ---; fix them, then import again",
    );
  }
}

export function importInventory(from: string, stack: string, cloud: string, projectDir: string): string[] {
  const inventory = inventoryFromOpenstackJson(from, cloud);
  mkdirSync(join(projectDir, "inventory"), { recursive: true });
  const path = inventoryPath(projectDir, stack);
  let kept: string | undefined;
  if (existsSync(path)) {
    // A refresh replaces the records in one step; the header the team wrote (who owns the
    // allocation, when to refresh) and the file's line endings are theirs, kept as they were.
    const before = readFileSync(path, "utf8");
    // plan refuses such a file; the header could not be found in it, so it would be dropped.
    const lineEndings = loneCarriageReturnProblem(before, `inventory/${stack}.yaml`);
    if (lineEndings !== undefined) throw new Error(lineEndings);
    const header = headerOf(before);
    if (header !== generatedHeader(stack)) kept = header;
    const refreshed = renderInventory(inventory, stack, header);
    refuseUnreadable(refreshed, header, stack);
    writeFileAtomically(path, keepLineEndings(before, refreshed), `inventory/${stack}.yaml`);
  } else {
    writeFileSync(path, renderInventory(inventory, stack), { flag: "wx" });
  }
  return [
    `Wrote inventory/${stack}.yaml: ${inventory.flavors.length} flavors, ${inventory.images.length} images, ` +
      `${inventory.networks.length} networks, ${inventory.subnets.length} subnets, ${inventory.routers.length} routers, ` +
      `${inventory.securityGroups.length} security groups, ${inventory.floatingIps.length} floating IPs, ${inventory.servers.length} servers, ` +
      `keypairs: ${inventory.keypairs.map((k) => k.name).join(", ") || "none"}.`,
    `Review it (git diff inventory/${stack}.yaml), then run \`jetstream plan --stack ${stack}\`.`,
    ...(kept === undefined || kept === "" ? [] : [keptNote(kept)]),
  ];
}
