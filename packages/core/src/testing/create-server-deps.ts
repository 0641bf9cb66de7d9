import type { CreateServerDeps, NetworkChoice } from "../cloud/create-server.js";

/**
 * createServer's borrowed steps for tests that boot from images: every step the test does not
 * expect throws, naming itself, so that a boot taking an unplanned path fails loudly. `network`
 * is what get-me-a-network answers, when the test uses `network: "auto"`.
 */
export function imageBootDeps(network?: NetworkChoice): CreateServerDeps {
  const unexpected = (step: string) => async (): Promise<never> => {
    throw new Error(`unexpected ${step}`);
  };
  return {
    chooseAutoNetwork: network ? async () => network : unexpected("get-me-a-network"),
    createBootVolume: unexpected("boot volume"),
    deleteVolume: unexpected("volume delete"),
    attachVolume: unexpected("volume attach"),
  };
}
