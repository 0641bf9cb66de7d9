import type { Command } from "commander";
import { registerCloud } from "./cloud.js";
import { registerFlavor } from "./flavor.js";
import { registerFloatingIp } from "./floating-ip.js";
import { registerImage } from "./image.js";
import { registerKeypair } from "./keypair.js";
import { registerNetwork } from "./network.js";
import { registerPort } from "./port.js";
import { registerRouter } from "./router.js";
import { registerSecurityGroup } from "./security-group.js";
import { registerServer } from "./server.js";
import { registerSubnet } from "./subnet.js";
import { registerVolume } from "./volume.js";

/**
 * Every resource command that speaks the oaktree API (one module each, see ../README.md).
 * Helpers adding commands in parallel: one line each here.
 */
export const apiCommands: readonly ((program: Command) => void)[] = [
  registerServer,
  registerFlavor,
  registerNetwork,
  registerSubnet,
  registerRouter,
  registerPort,
  registerKeypair,
  registerSecurityGroup,
  registerFloatingIp,
  registerVolume,
  registerImage,
  registerCloud,
];
