/** The NAME argument of the verbs that act on one instance. */

/**
 * `suspend "$NAME"` with NAME unset: the argument is to blame, not a lookup of an instance
 * called "" (whose "no instance" would send the operator looking in the stack file).
 */
export function refuseEmptyName(verb: string, name: string): void {
  if (name === "") {
    throw new Error(
      `${verb} NAME: an empty value (an unset shell variable?); allowed: an instance, with or without the lappsgrid- prefix`,
    );
  }
}
