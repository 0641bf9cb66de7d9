/**
 * Where an object lives: every model carries one. Region-level objects (flavors, images,
 * networks) have no zone; cloud-level objects (projects) have no region.
 */
export interface Location {
  readonly cloud: string;
  readonly region?: string;
  readonly zone?: string;
  readonly project: ProjectRef;
}

/** A project as a Location names it: whichever of id, name and domain are known. */
export interface ProjectRef {
  readonly id?: string;
  readonly name?: string;
  readonly domainId?: string;
  readonly domainName?: string;
}

/**
 * What a normalizer needs to know besides the payload: the cloud, region and project the
 * call was made with. A payload's own project id (`tenant_id`, `project_id`, `owner`) wins
 * over the caller's when it differs (an admin listing other projects' objects).
 */
export interface NormalizeContext {
  readonly cloud: string;
  readonly region?: string;
  readonly project: ProjectRef;
  /**
   * Networks (names or ids) routed to the outside world (neutron `router:external`, or names a
   * cloud's config declares). A fixed address on one of them is public (see models/server.ts).
   */
  readonly externalNetworks?: ReadonlySet<string>;
}

/** The location of an object owned by `projectId` (when the payload names one) in `zone`. */
export function locationOf(ctx: NormalizeContext, projectId?: string | null, zone?: string | null): Location {
  const project: ProjectRef = projectId && projectId !== ctx.project.id ? { id: projectId } : ctx.project;
  return {
    cloud: ctx.cloud,
    ...(ctx.region !== undefined && { region: ctx.region }),
    ...(zone ? { zone } : {}),
    project,
  };
}
