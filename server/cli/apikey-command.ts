import { parseArgs } from "node:util";
import { HostError } from "../util/errors.ts";
import { requireUser, withAuthStore } from "./auth-cli.ts";

const HELP = `usage: layerwatch apikey <create|list|revoke> [--data DIR] …

  apikey create NAME --user USER   prints the new key once (it is stored hashed); it never has more
                                   rights than USER has at the time it is used
  apikey list --user USER          the keys of USER (names and hints, never the keys)
  apikey revoke ID

--data DIR: the data directory (default ./data). Works while the daemon runs.`;

export async function runApikeyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { data: { type: "string" }, user: { type: "string" }, help: { type: "boolean" } },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const [action, arg, ...extra] = positionals;
  if (action === undefined || extra.length > 0) throw new HostError("USAGE", HELP);
  return withAuthStore(values.data ?? "data", async (store) => {
    if (action === "create" || action === "list") {
      if (values.user === undefined) throw new HostError("USAGE", `--user is required\n\n${HELP}`);
      const user = requireUser(store, values.user);
      if (action === "list") {
        for (const key of store.listApiKeys(user.id)) console.log(JSON.stringify(key));
        return 0;
      }
      if (arg === undefined) throw new HostError("USAGE", `a NAME for the key is required\n\n${HELP}`);
      const { key, info } = store.createApiKey(user.id, arg);
      console.log(JSON.stringify({ key, id: info.id, name: info.name, user: user.name }));
    } else if (action === "revoke") {
      if (arg === undefined || !/^\d+$/.test(arg))
        throw new HostError("USAGE", `revoke takes a key ID\n\n${HELP}`);
      store.revokeApiKey(Number(arg));
      console.log(JSON.stringify({ revoked: Number(arg) }));
    } else {
      throw new HostError("USAGE", `unknown action '${action}'\n\n${HELP}`);
    }
    return 0;
  });
}
