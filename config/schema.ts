/**
 * The shape of a stack's `lappsgrid-jetstream:*` config, as written in `Pulumi.<stack>.yaml`.
 * One zod schema gives both the raw TypeScript types and the error messages; cross-field rules
 * (sizes, image aliases, duplicate addresses, one proxy host) live in `validate.ts`.
 */
import { z } from "zod";
import { INSTANCE_STATES, SIZE_NAMES } from "./defaults";
import {
  isHostName,
  isIpv4,
  isIpv4Cidr,
  SUBNET_CIDR_ALLOWED,
  subnetCidrProblem,
  withoutRootDot,
} from "./net";
import { OFFLINE_UNTIL_ALLOWED } from "./proxy-settings";
import { looksLikeSshKey, sshKeyProblem } from "./ssh-key";

/** Objects reject unknown keys and say which keys they take: typos are the commonest config bug. */
function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `unknown key; allowed keys: ${allowed}` : undefined,
  });
}

function oneOf<const Values extends readonly [string, ...string[]]>(values: Values, what: string) {
  return z.enum(values, {
    error: (issue) => `${written(issue.input)} is not a ${what}; allowed: ${values.join(", ")}`,
  });
}

const cidr = z.string().refine(isIpv4Cidr, {
  error: (issue) => `${written(issue.input)} is not an IPv4 CIDR (like 10.0.0.0/24)`,
});

const ipv4 = z
  .string()
  .refine(isIpv4, { error: (issue) => `${written(issue.input)} is not an IPv4 address` });

/** Names OpenStack and nginx both accept; nothing that could end a directive or a YAML scalar. */
const resourceName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, {
  error: (issue) =>
    `${written(issue.input)} is not a name; allowed: letters, digits, ".", "_" and "-", starting with a letter or digit, at most 63 characters`,
});

const openstackId = z.string().min(1, { error: "an OpenStack ID must not be empty" });

/** A value as the operator wrote it: JSON would show YAML's `.inf` and `.nan` as `null`. */
export function written(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value).replace(INVISIBLE, escaped);
  if (typeof value !== "number" || Number.isFinite(value)) return JSON.stringify(value);
  return Number.isNaN(value) ? ".nan" : value > 0 ? ".inf" : "-.inf";
}

/**
 * Characters a terminal shows as a space or not at all (no-break and other spaces, zero-width
 * marks, the byte-order mark): `"tiny "` would hide why tiny is refused, `"tiny\u00a0"` shows it.
 */
const INVISIBLE = /[\u0080-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/g;

const escaped = (character: string) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;

/**
 * An integer within bounds; every way to miss says the same, once (zod would report a number
 * too big for an integer both as not an integer and as too big). `note` says what it counts.
 */
function wholeNumber(min: number, max: number, what = "is not allowed", note?: string) {
  const error = (issue: { input: unknown }) =>
    `${written(issue.input)} ${what}; allowed: an integer from ${min} to ${max}${note === undefined ? "" : ` (${note})`}`;
  return z
    .number({ error })
    .refine((value) => Number.isInteger(value) && min <= value && value <= max, { error });
}

const port = wholeNumber(1, 65535, "is not a port");
/** An OpenSSH public key line, decoded (ssh-key.ts): the refusal says why when the shape is right. */
function sshKeyLine(notA: string, allowed: string) {
  return z.string().refine((line) => looksLikeSshKey(line) && sshKeyProblem(line) === undefined, {
    error: (issue) => {
      const line = String(issue.input);
      const why = sshKeyProblem(line);
      return `${JSON.stringify(line)} ${notA}${why === undefined ? "" : ` (${why})`}; ${allowed}`;
    },
  });
}

/** The stack's own subnet: a private range with room for servers. */
const subnetCidr = z.string().superRefine((value, context) => {
  const problem = subnetCidrProblem(value);
  if (problem === undefined) return;
  // "is not an IPv4 CIDR (like 10.0.0.0/24)" already shows what is allowed.
  const message = isIpv4Cidr(value) ? `${problem}; ${SUBNET_CIDR_ALLOWED}` : problem;
  context.addIssue({ code: "custom", message });
});

export const networkSchema = strictObject({
  name: resourceName.optional(),
  subnetName: resourceName.optional(),
  routerName: resourceName.optional(),
  cidr: subnetCidr.optional(),
  dnsNameservers: z.array(ipv4).optional(),
  externalNetwork: resourceName.optional(),
  /** Jetstream2 allows one router per project: name one that exists and only the interface is made. */
  existingRouter: resourceName.optional(),
  /** OpenStack IDs of resources made by hand, to adopt instead of recreating. */
  import: strictObject({
    network: openstackId.optional(),
    subnet: openstackId.optional(),
    router: openstackId.optional(),
    /** The port ID of the router's interface on the subnet (`openstack port list --router R`). */
    routerInterface: openstackId.optional(),
  }).optional(),
});

const notPortOrRange = (issue: { input: unknown }) =>
  `${written(issue.input)} is not a port or range; allowed: 22 or "8000-8100"`;

const ruleSchema = strictObject({
  description: z
    .string()
    .regex(/^[\w .,:()/-]{0,200}$/, {
      error: (issue) =>
        `${written(issue.input)} is not a rule description; allowed: up to 200 letters, digits, spaces and . , : ( ) / - _`,
    })
    .optional(),
  protocol: oneOf(["tcp", "udp", "icmp"], "protocol"),
  /** One port (22) or a range ("8000-8100"); absent for icmp. */
  ports: z
    .union([port, z.string().regex(/^\d{1,5}-\d{1,5}$/, { error: notPortOrRange })], {
      error: notPortOrRange,
    })
    .optional(),
  from: cidr,
  /** OpenStack ID of this rule in an adopted security group. */
  importId: openstackId.optional(),
});
export type RawRule = z.infer<typeof ruleSchema>;

export const securityGroupSchema = strictObject({
  name: resourceName.optional(),
  importId: openstackId.optional(),
  /** Where SSH may come from when the default rules are used. */
  sshFrom: z.array(cidr).optional(),
  /**
   * Where the proxied service port may be reached from besides the subnet: the proxy host of
   * another stack (`149.165.157.82/32`) when that stack's proxy targets an instance here.
   */
  serviceFrom: z.array(cidr).optional(),
  /** The proxied service port; default the stack's `proxy.port`, else 8080 (Galaxy). */
  servicePort: port.optional(),
  /** The whole rule list; when given, it replaces the default rules. */
  rules: z.array(ruleSchema).optional(),
});

export const keypairSchema = strictObject({
  name: resourceName.optional(),
  /** Managed keypair from this public key; absent: an existing keypair referenced by name. */
  publicKey: sshKeyLine(
    "is not an OpenSSH public key",
    "allowed: one line starting with ssh-ed25519, ssh-rsa or ecdsa-sha2-*, as the .pub file holds it",
  ).optional(),
});

/**
 * Four times Jetstream2's largest general-purpose flavor (m3.2xl, 64 vCPUs): a larger count is a
 * typo (`1e12`) that the SU estimates would trust.
 */
const MAX_VCPUS = 256;

const flavorSchema = strictObject({
  flavor: resourceName,
  vcpus: wholeNumber(1, MAX_VCPUS, "is not allowed", "the flavor's vCPUs"),
});

export const sizesSchema = strictObject(
  Object.fromEntries(SIZE_NAMES.map((size) => [size, flavorSchema.optional()])) as Record<
    (typeof SIZE_NAMES)[number],
    z.ZodOptional<typeof flavorSchema>
  >,
);

export const imagesSchema = z.record(
  z.string().regex(/^[a-z][a-z0-9-]*$/, {
    error: (issue) =>
      `${written(issue.input)} is not an image alias; allowed: lower-case letters, digits and "-"`,
  }),
  z.string().min(1, { error: "an image name must not be empty" }),
);

export const instanceSchema = strictObject({
  size: oneOf(SIZE_NAMES, "size").optional(),
  image: z.string().optional(),
  /** `assign` allocates a floating IP; an address adopts one allocated earlier. */
  ip: z.string().optional(),
  /** OpenStack ID of the floating IP behind `ip: <address>`, to manage (never release) it. */
  floatingIpImportId: openstackId.optional(),
  /**
   * The adopted floating IP's description as it is in the cloud (`openstack floating ip show`);
   * leave it out when it has none: an import fails on any difference.
   */
  floatingIpDescription: z.string().max(255).optional(),
  state: oneOf(INSTANCE_STATES, "state").optional(),
  role: oneOf(["proxy", "service"], "role").optional(),
  userData: z.string().optional(),
  /** Let a change of user data or image rebuild this server; off by default. */
  acceptRebuild: z.boolean().optional(),
});
export type RawInstance = z.infer<typeof instanceSchema>;

/** A private key in a stack file would be in git: only its `secure:` ciphertext may be. */
export function plainTextSecret(key: string, file: string): string {
  return `must be a secret, not plain text; allowed: the \`secure:\` value \`pulumi config set --secret ${key} < ${file}\` writes`;
}
export const PLAIN_TEXT_SECRET = plainTextSecret("proxySshKey", "KEYFILE");

export const ACME_EMAIL_ALLOWED = 'allowed: one e-mail address, like "ops@lappsgrid.org"';
export const ACME_DIRECTORY_ALLOWED =
  "allowed: an https:// URL of an ACME directory, like Let's Encrypt's \"https://acme-v02.api.letsencrypt.org/directory\" or its staging one";

/** HTTPS for the proxy's domain: certificates from an ACME server, given as secrets, or none. */
export const tlsSchema = strictObject({
  /** acme (the default for a public domain), none (plain HTTP; the default for a test domain), or certificate (proxyTlsCertificate/proxyTlsKey). */
  mode: oneOf(["acme", "none", "certificate"], "TLS mode").optional(),
  acme: strictObject({
    /** Let's Encrypt's contact for expiry warnings and account recovery; without it, the account has none. */
    email: z
      .string({
        error: (issue) => `${written(issue.input)} is not an e-mail address; ${ACME_EMAIL_ALLOWED}`,
      })
      .regex(/^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, {
        error: (issue) => `${written(issue.input)} is not an e-mail address; ${ACME_EMAIL_ALLOWED}`,
      })
      .optional(),
    /** The ACME server's directory URL; default Let's Encrypt production. */
    directory: z
      .string({ error: (issue) => `${written(issue.input)} is not a URL; ${ACME_DIRECTORY_ALLOWED}` })
      .regex(/^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~/-]*)?$/, {
        error: (issue) => `${written(issue.input)} is not an ACME directory URL; ${ACME_DIRECTORY_ALLOWED}`,
      })
      .optional(),
  }).optional(),
  /** Strict-Transport-Security on HTTPS answers; off by default (browsers remember it for a year). */
  hsts: z
    .boolean({ error: (issue) => `${written(issue.input)} is not allowed; allowed: true or false` })
    .optional(),
});

export const proxySchema = strictObject({
  domain: z
    .string()
    .refine(isHostName, {
      error: (issue) => {
        const bare = typeof issue.input === "string" ? withoutRootDot(issue.input) : undefined;
        return bare === undefined
          ? `${written(issue.input)} is not a domain name; allowed: letters, digits, "-" and "."`
          : `${written(issue.input)} ends with a dot (a fully qualified name); allowed: the name without it (${bare})`;
      },
    })
    .optional(),
  /** The instance with `role: proxy` by default, or the address of a host this stack does not manage. */
  host: z.string().optional(),
  mode: oneOf(["online", "offline"], "proxy mode").optional(),
  target: z.string().optional(),
  port: port.optional(),
  offlineTitle: z.string().max(200).optional(),
  offlineMessage: z.string().max(2000).optional(),
  /** When the site is expected back, shown on the offline page: `2026-12-01` or `2026-12-01T09:00Z`. */
  offlineUntil: z
    .string({ error: (issue) => `${written(issue.input)} is not a date; ${OFFLINE_UNTIL_ALLOWED}` })
    .optional(),
  /** The path the apply script GETs on the target before switching online; default "/". */
  healthPath: z
    .string()
    .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*$/, {
      error: (issue) =>
        `${written(issue.input)} is not a health-check path; allowed: a path starting with "/", of letters, digits and URL punctuation (no spaces, quotes or #)`,
    })
    .optional(),
  /** Status codes that count as healthy: "200-399" (the default), "200,302", "200-299,401". */
  healthStatuses: z.string().optional(),
  /** How many times the target is probed before the switch is given up; default 30. */
  healthTries: wholeNumber(1, 120).optional(),
  /** Seconds between two probes; default 10. */
  healthInterval: wholeNumber(1, 60).optional(),
  /**
   * The proxy host's SSH host key, to pin: the apply command then refuses any other host at
   * that address. Knowable for a host this stack does not manage, and for a managed one only
   * after its first boot (cloud-init makes the key there).
   */
  hostKey: sshKeyLine(
    "is not an SSH host key",
    'allowed: one line like "ssh-ed25519 AAAA...", as `ssh-keyscan -t ed25519 HOST` prints it without the host name',
  ).optional(),
  tls: tlsSchema.optional(),
});
export type RawProxy = z.infer<typeof proxySchema>;

export const stackConfigSchema = strictObject({
  /** The cloud this stack lives on, as operators say it (IU, TACC); shown in plans and outputs. */
  cloud: z.string().min(1).optional(),
  network: networkSchema.optional(),
  securityGroup: securityGroupSchema.optional(),
  keypair: keypairSchema.optional(),
  sizes: sizesSchema.optional(),
  images: imagesSchema.optional(),
  instances: z.record(z.string(), instanceSchema).optional(),
  proxy: proxySchema.optional(),
  /** The SSH private key the proxy command uses; a Pulumi secret (`secure:`), never plain text. */
  proxySshKey: z.strictObject({ secure: z.string() }, { error: PLAIN_TEXT_SECRET }).optional(),
  /** With proxy.tls.mode certificate: the certificate chain (PEM), a Pulumi secret like the key. */
  proxyTlsCertificate: z
    .strictObject({ secure: z.string() }, { error: plainTextSecret("proxyTlsCertificate", "CHAIN.pem") })
    .optional(),
  /** With proxy.tls.mode certificate: the certificate's private key (PEM), a Pulumi secret. */
  proxyTlsKey: z
    .strictObject({ secure: z.string() }, { error: plainTextSecret("proxyTlsKey", "KEY.pem") })
    .optional(),
});
export type RawStackConfig = z.infer<typeof stackConfigSchema>;
