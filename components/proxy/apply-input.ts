/**
 * What the component sends to the proxy host: the command `remote.Command` runs and the stdin
 * it feeds that command. The framing is the one documented at the top of apply-script.sh; the
 * tests feed exactly these bytes to the script, locally and over SSH.
 */

/** Where the bootstrap installs the apply script; found through sudo's secure_path. */
export const APPLY_SCRIPT_NAME = "lappsgrid-proxy-apply";
export const APPLY_SCRIPT_PATH = `/usr/local/sbin/${APPLY_SCRIPT_NAME}`;

/** The command line the component runs over SSH as the proxy host's default user. */
export const APPLY_COMMAND = `sudo -n ${APPLY_SCRIPT_NAME}`;

export const FRAME_MAGIC = "lappsgrid-proxy-apply 1";
export const FRAME_SITE = "#== site";
export const FRAME_PAGE = "#== page";
export const FRAME_END = "#== end";

export interface Candidate {
  /** The rendered nginx site. */
  site: string;
  /** The rendered offline page. */
  page: string;
}

function checkPart(name: string, text: string): string {
  const lines = text.split("\n");
  // A marker line inside a part would cut it short on the host; the renderers never emit one.
  const marker = lines.find((line) => [FRAME_SITE, FRAME_PAGE, FRAME_END, FRAME_MAGIC].includes(line));
  if (marker !== undefined)
    throw new Error(`proxy ${name}: contains the framing line ${JSON.stringify(marker)}`);
  return text.endsWith("\n") ? text : `${text}\n`;
}

/** The apply script's stdin: magic line, then each part after its marker, then the end marker. */
export function renderApplyInput(candidate: Candidate): string {
  return [
    `${FRAME_MAGIC}\n`,
    `${FRAME_SITE}\n`,
    checkPart("site", candidate.site),
    `${FRAME_PAGE}\n`,
    checkPart("page", candidate.page),
    `${FRAME_END}\n`,
  ].join("");
}
