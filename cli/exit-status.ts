/** A verb that ran something else (ssh) ends with that program's exit status, not with 1. */
export class ExitStatus extends Error {
  constructor(readonly code: number) {
    super(`exit status ${code}`);
    this.name = "ExitStatus";
  }
}
