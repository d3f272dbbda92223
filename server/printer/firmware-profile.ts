import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ErrorObject } from "ajv";
import ajv2020 from "ajv/dist/2020.js";
import { HostError } from "../util/errors.ts";
import type { FirmwareProfile } from "./firmware-profile-types.ts";

export type { FirmwareProfile } from "./firmware-profile-types.ts";

// ajv ships CommonJS: under NodeNext the default import is `module.exports`, whose `default` is the class.
const Ajv2020 = ajv2020.default;

const SCHEMA_FILE = "schema.json";

/** Placeholders a profile script may use; `fillScript` callers supply their values. */
export const SCRIPT_PLACEHOLDERS: readonly string[] = Object.freeze([
  "park.x",
  "park.y",
  "position.x",
  "position.y",
  "position.z",
  "position.e",
  "feedrate",
]);

const PLACEHOLDER = /\{([^{}]*)\}/g;

function defaultProfileDir(): string {
  return fileURLToPath(new URL("../../firmware-profiles/", import.meta.url));
}

/** `firmware-profiles/marlin-2.json`: the directory's own name and the file, as error messages show it. */
function displayName(dir: string, file: string): string {
  return `${path.basename(path.resolve(dir))}/${file}`;
}

function readJson(file: string, shown: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new HostError("CONFIG", `${shown}: cannot read (${(err as Error).message})`, { file });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HostError("CONFIG", `${shown}: invalid JSON (${(err as Error).message})`, { file });
  }
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath === "" ? "/" : error.instancePath;
  let message = error.message ?? "is invalid";
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "additionalProperties" && typeof params.additionalProperty === "string") {
    message += ` '${params.additionalProperty}'`;
  } else if (error.keyword === "enum" && Array.isArray(params.allowedValues)) {
    message += ` (${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")})`;
  } else if (error.keyword === "const" && "allowedValue" in params) {
    message += ` ${JSON.stringify(params.allowedValue)}`;
  }
  return `${where} ${message}`;
}

function compileValidator() {
  const schemaPath = path.join(defaultProfileDir(), SCHEMA_FILE);
  const schema = readJson(schemaPath, displayName(defaultProfileDir(), SCHEMA_FILE));
  // allowUnionTypes: receiveBufferBytes is ["integer", "null"]. strictTuples off: emergencyStop's
  // prefixItems pins only its first command (M112) and leaves the rest open on purpose.
  const ajv = new Ajv2020({ allErrors: false, strict: true, strictTuples: false, allowUnionTypes: true });
  return ajv.compile<FirmwareProfile>(schema as object);
}

function compileDetectionRegex(source: string, where: string): RegExp {
  try {
    return new RegExp(source, "i");
  } catch (err) {
    throw new HostError(
      "CONFIG",
      `${where}: invalid regular expression ${JSON.stringify(source)} (${(err as Error).message})`,
    );
  }
}

/** Checks the schema cannot express: regexes compile, the example detects, placeholders are known. */
function checkSemantics(profile: FirmwareProfile, shown: string): void {
  const regexes = profile.detection.firmwareName.map((source, i) =>
    compileDetectionRegex(source, `${shown}: /detection/firmwareName/${i}`),
  );
  if (!regexes.some((re) => re.test(profile.detection.example))) {
    throw new HostError(
      "CONFIG",
      `${shown}: /detection/example ${JSON.stringify(profile.detection.example)} matches none of /detection/firmwareName`,
    );
  }
  for (const [scriptName, lines] of Object.entries(profile.scripts)) {
    lines.forEach((line, i) => {
      for (const match of line.matchAll(PLACEHOLDER)) {
        const name = match[1] ?? "";
        if (!SCRIPT_PLACEHOLDERS.includes(name)) {
          throw new HostError(
            "CONFIG",
            `${shown}: /scripts/${scriptName}/${i} unknown placeholder {${name}} in ${JSON.stringify(line)} (known: ${SCRIPT_PLACEHOLDERS.join(", ")})`,
          );
        }
      }
    });
  }
}

/**
 * Reads and validates every `*.json` (except `schema.json`) in `dir`, sorted by file name.
 * Any invalid file throws `HostError("CONFIG")` naming the file and the offending key.
 */
export function loadFirmwareProfiles(dir: string = defaultProfileDir()): FirmwareProfile[] {
  const validate = compileValidator();
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith(".json") && f !== SCHEMA_FILE)
      .sort();
  } catch (err) {
    throw new HostError("CONFIG", `cannot list firmware profiles in ${dir} (${(err as Error).message})`, {
      dir,
    });
  }

  return files.map((file) => {
    const shown = displayName(dir, file);
    const data = readJson(path.join(dir, file), shown);
    if (!validate(data)) {
      const first = validate.errors?.[0];
      const detail = first === undefined ? "does not match the schema" : describeError(first);
      throw new HostError("CONFIG", `${shown}: ${detail}`, { file: path.join(dir, file) });
    }
    const expectedId = file.slice(0, -".json".length);
    if (data.id !== expectedId) {
      throw new HostError("CONFIG", `${shown}: /id '${data.id}' must equal the file name '${expectedId}'`);
    }
    checkSemantics(data, shown);
    const { $schema: _editorHint, ...profile } = data as FirmwareProfile & { $schema?: string };
    return profile;
  });
}

/** The profile whose id is `id`; an unknown id throws `HostError("CONFIG")` listing the known ones. */
export function loadFirmwareProfile(id: string, dir?: string): FirmwareProfile {
  const profiles = loadFirmwareProfiles(dir);
  const found = profiles.find((p) => p.id === id);
  if (found === undefined) {
    const known = profiles.map((p) => p.id).join(", ");
    throw new HostError("CONFIG", `unknown firmware profile '${id}' (known: ${known})`, { id });
  }
  return found;
}

/** The highest-priority profile with a regex matching `firmwareName`; ties go to the earlier profile. */
export function detectFirmwareProfile(
  profiles: FirmwareProfile[],
  firmwareName: string,
): FirmwareProfile | null {
  let best: FirmwareProfile | null = null;
  for (const profile of profiles) {
    const matches = profile.detection.firmwareName.some((source, i) =>
      compileDetectionRegex(source, `${profile.id}: /detection/firmwareName/${i}`).test(firmwareName),
    );
    if (matches && (best === null || profile.detection.priority > best.detection.priority)) {
      best = profile;
    }
  }
  return best;
}

/** The profile's assumed capabilities, overridden by every `Cap:` the firmware reported. */
export function applyCapabilities(
  profile: FirmwareProfile,
  reported: Record<string, boolean>,
): Record<string, boolean> {
  return { ...profile.capabilities, ...reported };
}

function formatValue(name: string, value: number | string, line: string): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new HostError(
        "CONFIG",
        `placeholder {${name}} has no finite value (${value}) in ${JSON.stringify(line)}`,
      );
    }
    // Three decimals (µm, or 0.001 mm/min) is finer than any printer resolves; String() drops
    // trailing zeros, and -0 prints as "0".
    return String(Number(value.toFixed(3)));
  }
  // A value must not smuggle a second command or a comment into the line.
  if (!/^[ -:<-~]*$/.test(value)) {
    throw new HostError(
      "CONFIG",
      `placeholder {${name}} value ${JSON.stringify(value)} is not printable ASCII without ';'`,
    );
  }
  return value;
}

/** Replaces `{name}` placeholders in every line; a placeholder without a value throws `HostError("CONFIG")`. */
export function fillScript(lines: string[], values: Record<string, number | string>): string[] {
  return lines.map((line) =>
    line.replace(PLACEHOLDER, (_whole, name: string) => {
      const value = Object.hasOwn(values, name) ? values[name] : undefined;
      if (value === undefined) {
        throw new HostError(
          "CONFIG",
          `unknown placeholder {${name}} in script line ${JSON.stringify(line)}`,
          {
            placeholder: name,
            line,
          },
        );
      }
      return formatValue(name, value, line);
    }),
  );
}
