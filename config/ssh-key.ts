/**
 * An OpenSSH public key line (`TYPE BASE64 [comment]`), decoded as ssh reads it (RFC 4253
 * section 6.6, RFC 5656 section 3.1, RFC 8709 section 4): the base64 holds length-prefixed
 * fields, the first of them the key type again. A line that only looks like a key is refused
 * here rather than by sshd or nova, far from the stack file.
 */

export const SSH_KEY_TYPES = [
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
] as const;

/** The uncompressed point of each curve: 0x04, then x and y. */
const ECDSA_POINT_BYTES: Record<string, number> = { nistp256: 65, nistp384: 97, nistp521: 133 };

const LINE = new RegExp(`^(${SSH_KEY_TYPES.join("|")}) ([A-Za-z0-9+/=]+)( [^\\n]*)?$`);

/** Whether the line has a key's shape at all: a known type, base64, an optional comment. */
export function looksLikeSshKey(line: string): boolean {
  return LINE.test(line);
}

class Cut extends Error {}

/** Reads the blob's length-prefixed fields in order. */
function fieldReader(blob: Buffer) {
  let offset = 0;
  return {
    next(): Buffer {
      if (offset + 4 > blob.length) throw new Cut();
      const length = blob.readUInt32BE(offset);
      if (offset + 4 + length > blob.length) throw new Cut();
      const field = blob.subarray(offset + 4, offset + 4 + length);
      offset += 4 + length;
      return field;
    },
    left: () => blob.length - offset,
  };
}

/** What is wrong with the key inside the line, or undefined for a whole key of the type it says. */
function blobProblem(type: string, blob: Buffer): string | undefined {
  const fields = fieldReader(blob);
  const inside = fields.next().toString("latin1");
  if (inside !== type) return `its key data says ${inside}, not ${type}`;
  if (type === "ssh-ed25519") {
    const key = fields.next();
    if (key.length !== 32) return `its ed25519 key is ${key.length} bytes, not 32`;
  } else if (type === "ssh-rsa") {
    fields.next(); // the public exponent
    if (fields.next().length === 0) return "its RSA modulus is empty";
  } else {
    const curve = type.slice("ecdsa-sha2-".length);
    const named = fields.next().toString("latin1");
    if (named !== curve) return `its key data names curve ${named}, not ${curve}`;
    const point = fields.next();
    if (point.length !== ECDSA_POINT_BYTES[curve]) {
      return `its ${curve} point is ${point.length} bytes, not ${ECDSA_POINT_BYTES[curve]}`;
    }
    if (point[0] !== 4)
      return `its ${curve} point starts with byte ${point[0]}, not 4 (an uncompressed point)`;
  }
  if (fields.left() > 0) return `its key data has ${fields.left()} bytes after the key`;
  return undefined;
}

/**
 * Why a line with a key's shape does not hold the key it names, in a few words; undefined when
 * it does (or when it does not have the shape: `looksLikeSshKey` says that).
 */
export function sshKeyProblem(line: string): string | undefined {
  const match = LINE.exec(line);
  if (match === null) return undefined;
  const [, type, base64] = match;
  // Node's decoder skips what is not base64; only text that encodes back the same is exact
  // (Node's encoder pads, so this also refuses a length that is not a multiple of 4).
  const blob = Buffer.from(base64, "base64");
  if (blob.toString("base64") !== base64) return "its key data is not base64";
  try {
    return blobProblem(type, blob);
  } catch (error) {
    if (error instanceof Cut) return "its key data is cut off";
    throw error;
  }
}
