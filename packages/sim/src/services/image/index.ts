import { htmlErrorStyle } from "../../core/errors.js";
import { json } from "../../core/http.js";
import type { ServiceModule, SimContext } from "../../core/service.js";
import type { Profile } from "../../profiles.js";
import { seedCirros } from "../compute/seed.js";
import { registerImagesV2 } from "./images-v2.js";
import { registerImportV2 } from "./import.js";
import { registerMembersV2 } from "./members.js";
import { imageSchema, imagesSchema, taskSchema, tasksSchema } from "./schemas.js";
import { registerV1 } from "./v1.js";

/** The v2 minor versions a profile's glance lists, newest first (Zed: 2.16; Kilo: 2.2). */
function v2Minors(p: Profile): number {
  return p.name === "modern" ? 16 : 2;
}

function versionsDoc(c: SimContext) {
  const { profile, baseUrl } = c.var.sim;
  const link = (v: string) => [{ href: `${baseUrl}/image/${v}/`, rel: "self" }];
  const versions: { id: string; links: { href: string; rel: string }[]; status: string }[] = [];
  if (profile.image.v2) {
    const top = v2Minors(profile);
    for (let i = top; i >= 0; i--) {
      versions.push({ id: `v2.${i}`, links: link("v2"), status: i === top ? "CURRENT" : "SUPPORTED" });
    }
  }
  if (profile.image.v1) {
    versions.push({ id: "v1.1", links: link("v1"), status: profile.image.v2 ? "SUPPORTED" : "CURRENT" });
    versions.push({ id: "v1.0", links: link("v1"), status: "SUPPORTED" });
  }
  return { versions };
}

/** glance: v2 (images, data, interoperable import, tasks, members, schemas) and v1 where the profile has it. */
export const imageModule: ServiceModule = {
  name: "image",
  prefix: "/image",
  errorStyle: htmlErrorStyle,
  enabled: (p) => p.image.v1 || p.image.v2,
  catalog: (sim) => [{ type: "image", name: "glance", url: `${sim.baseUrl}/image` }],
  seed(world) {
    // The public cirros image nova boots from; compute seeds the same one when it comes first.
    seedCirros(world);
  },
  register(router) {
    const { sim } = router;
    const open = router.group({ bases: [""], auth: false });
    // NOTE: glance answers its root with 300 Multiple Choices; `/versions` with 200.
    open.get("/", (c) => json(c, 300, versionsDoc(c)));
    open.get("/versions", (c) => json(c, 200, versionsDoc(c)));
    if (sim.profile.image.v2) {
      const v2 = router.group({ bases: ["/v2"] });
      v2.get("/schemas/image", (c) => json(c, 200, imageSchema(c.var.sim.profile)));
      v2.get("/schemas/images", (c) => json(c, 200, imagesSchema(c.var.sim.profile)));
      v2.get("/schemas/task", (c) => json(c, 200, taskSchema()));
      v2.get("/schemas/tasks", (c) => json(c, 200, tasksSchema()));
      registerImagesV2(v2, sim);
      registerImportV2(v2, sim);
      registerMembersV2(v2, sim);
    }
    if (sim.profile.image.v1) registerV1(router.group({ bases: ["/v1"] }), sim);
  },
};
