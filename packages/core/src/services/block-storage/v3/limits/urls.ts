/** `/limits` */
export const limitsPath = (): string => "/limits";
