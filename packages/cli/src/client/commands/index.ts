import type { Command } from "commander";
import { registerFlavor } from "./flavor.js";

/**
 * Every resource command that speaks the oaktree API (one module each, see ../README.md).
 * Helpers adding commands in parallel: one line each here.
 */
export const apiCommands: readonly ((program: Command) => void)[] = [registerFlavor];
