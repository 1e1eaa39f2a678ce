/**
 * Who to log in as: the default user of the image a server boots from. Cloud images make one
 * user with the key and passwordless sudo, named after the distribution; Jetstream2's
 * `Featured-*` names and the LAPPS-made images built on them say which.
 */

/** Image name (as OpenStack knows it) -> login user; the first match wins. */
const LOGIN_USERS: readonly (readonly [RegExp, string])[] = [
  [/ubuntu/i, "ubuntu"],
  [/rocky/i, "rocky"],
  [/centos/i, "centos"],
  [/alma/i, "almalinux"],
  [/debian/i, "debian"],
  [/fedora/i, "fedora"],
];

/** LAPPS-made images (`lappsgrid-master`, docker) were built on Ubuntu, as the old script assumed. */
const FALLBACK_LOGIN_USER = "ubuntu";

export function loginUser(imageName: string): string {
  return LOGIN_USERS.find(([pattern]) => pattern.test(imageName))?.[1] ?? FALLBACK_LOGIN_USER;
}
