import type { Command } from "commander";
import {
  AuthState,
  CapabilitiesSchema,
  type CloudInfo,
  CloudInfoSchema,
  CloudService,
  LimitsSchema,
  LimitsService,
} from "../api.js";
import { apiCommand } from "../command.js";
import type { ResourceView } from "../output.js";

/** The columns of `oaktree clouds`. */
export const cloudView: ResourceView<typeof CloudInfoSchema> = {
  schema: CloudInfoSchema,
  columns: [
    { header: "Cloud", field: "location", cell: (c: CloudInfo) => c.location?.cloud ?? "" },
    { header: "Region", field: "region", cell: (c) => c.location?.region ?? "" },
    { header: "Default", field: "is_default", cell: (c) => (c.isDefault ? "yes" : "") },
    { header: "Auth", field: "auth_state", cell: (c) => authStateName(c.authState) },
    { header: "Auth URL", field: "auth_url", cell: (c) => c.authUrl },
    { header: "Error", field: "error", cell: (c) => c.error },
  ],
};

/** AUTH_STATE_NOT_CONNECTED -> "not connected". */
function authStateName(state: AuthState): string {
  return (AuthState[state] ?? "unspecified").toLowerCase().replace(/_/g, " ");
}

/** `oaktree clouds`, `oaktree limits`, `oaktree capabilities`: the service and cloud themselves. */
export function registerCloud(program: Command): void {
  apiCommand(program, "clouds", "List the clouds (and regions) the service knows", async (context) => {
    const { clouds } = await context.connection
      .client(CloudService)
      .listClouds({ location: context.location() });
    context.output.list(
      cloudView,
      clouds.map((item) => ({ item })),
    );
  });
  apiCommand(program, "limits", "Show the project's quotas and usage on a cloud", async (context) => {
    const { limits } = await context.connection
      .client(LimitsService)
      .getLimits({ location: context.location() });
    if (limits) context.output.show(LimitsSchema, limits);
  });
  apiCommand(
    program,
    "capabilities",
    "Show what oaktree learned about a cloud (floating IP model, image upload, services)",
    async (context) => {
      const { capabilities } = await context.connection
        .client(CloudService)
        .getCapabilities({ location: context.location() });
      if (capabilities) context.output.show(CapabilitiesSchema, capabilities);
    },
  );
}
