import { parseArgs } from "node:util";
import { isRole, ROLES } from "../auth/roles.ts";
import { HostError } from "../util/errors.ts";
import { readPassword, requireUser, withAuthStore } from "./auth-cli.ts";

const HELP = `usage: layerwatch user <add|passwd|remove|list> [--data DIR] …

  user add NAME --role admin|operator|viewer   the password is read from standard input
  user passwd NAME                             new password from standard input; ends NAME's sessions
  user remove NAME                             also removes NAME's sessions and API keys
  user list                                    one JSON object per user

--data DIR: the data directory (default ./data). Works while the daemon runs.`;

export async function runUserCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { data: { type: "string" }, role: { type: "string" }, help: { type: "boolean" } },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const [action, name, ...extra] = positionals;
  const dataDir = values.data ?? "data";
  const needsName = action === "add" || action === "passwd" || action === "remove";
  if (action === undefined || extra.length > 0 || (needsName && name === undefined)) {
    throw new HostError("USAGE", HELP);
  }
  return withAuthStore(dataDir, async (store) => {
    if (action === "add") {
      if (!isRole(values.role)) throw new HostError("USAGE", `--role takes ${ROLES.join(", ")}`);
      const user = await store.createUser({
        name: name as string,
        password: await readPassword(),
        role: values.role,
      });
      console.log(JSON.stringify({ added: user.name, role: user.role }));
    } else if (action === "passwd") {
      const user = requireUser(store, name as string);
      await store.setPassword(user.id, await readPassword());
      console.log(JSON.stringify({ passwordChanged: user.name }));
    } else if (action === "remove") {
      const user = requireUser(store, name as string);
      store.deleteUser(user.id);
      console.log(JSON.stringify({ removed: user.name }));
    } else if (action === "list") {
      for (const user of store.listUsers()) console.log(JSON.stringify(user));
    } else {
      throw new HostError("USAGE", `unknown action '${action}'\n\n${HELP}`);
    }
    return 0;
  });
}
