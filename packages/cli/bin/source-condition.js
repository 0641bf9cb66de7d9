// A module.register() resolve hook for running from the repository: adds the "oaktree-source"
// export condition, so `@oaktree/*` imports resolve to the workspace packages' src/*.ts (as
// tsconfig.json's customConditions and vitest.config.ts do) rather than to their built dist/.
/** @type {import("node:module").ResolveHook} */
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, "oaktree-source"] });
}
