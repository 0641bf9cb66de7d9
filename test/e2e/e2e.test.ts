// The end-to-end suite against a real OpenStack (see docs/testing.md and docs/decisions/0006).
// It is ONE test file on purpose: its blocks share one cloud and must run one after another, in
// this order, and the leak check must come last. Each block lives in cases/*.e2e.ts.
import { authCoreCases } from "./cases/auth-core.e2e.js";
import { bindingsCases } from "./cases/bindings.e2e.js";
import { cliCases } from "./cases/cli.e2e.js";
import { deployerCases } from "./cases/deployer.e2e.js";
import { discoveryCoreCases } from "./cases/discovery-core.e2e.js";
import { grpcCases } from "./cases/grpc.e2e.js";
import { keystoneRawCases } from "./cases/keystone-raw.e2e.js";
import { leakCheckCases } from "./cases/leak-check.e2e.js";
import { porcelainCreateCases } from "./cases/porcelain-create.e2e.js";
import { porcelainResourceCases } from "./cases/porcelain-resources.e2e.js";
import { porcelainServerCases } from "./cases/porcelain-servers.e2e.js";
import { porcelainVolumeImageCases } from "./cases/porcelain-volumes-images.e2e.js";
import { projectCases } from "./cases/projects.e2e.js";
import { volumesImagesCases } from "./cases/volumes-images.e2e.js";
import { e2eGate } from "./harness.js";
import { useSuite } from "./suite.js";

e2eGate().describe("e2e: real OpenStack", () => {
  const suite = useSuite();
  keystoneRawCases(suite);
  discoveryCoreCases(suite);
  authCoreCases(suite);
  cliCases(suite);
  bindingsCases(suite);
  volumesImagesCases(suite);
  projectCases(suite);
  porcelainResourceCases(suite);
  porcelainServerCases(suite);
  porcelainCreateCases(suite);
  porcelainVolumeImageCases(suite);
  grpcCases(suite);
  deployerCases(suite);
  // (new blocks go here, before the leak check)
  leakCheckCases(suite);
});
