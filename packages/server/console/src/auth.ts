import { createContext } from "preact";

/** Called by any panel whose call was refused as UNAUTHENTICATED: the app asks for credentials. */
export const NeedCredentials = createContext<() => void>(() => {});
