/** One container in an account listing (`GET /v1/AUTH_x?format=json`). */
export interface ContainerListingWire {
  readonly name: string;
  readonly count: number;
  readonly bytes: number;
  readonly last_modified?: string;
}

/** One object in a container listing (`GET /v1/AUTH_x/c?format=json`). */
export interface ObjectListingWire {
  readonly name: string;
  readonly hash: string;
  readonly bytes: number;
  readonly content_type: string;
  readonly last_modified: string;
}

/** A pseudo-folder in a delimited listing. */
export interface SubdirWire {
  readonly subdir: string;
}

/**
 * What swift says in headers about an account (HEAD/GET). Swift answers in headers, so
 * these are the headers parsed into numbers, with `X-Account-Meta-*` as `metadata`
 * (lower-cased keys, prefix removed) and the raw headers beside them.
 */
export interface AccountHeadWire {
  readonly containerCount: number;
  readonly objectCount: number;
  readonly bytesUsed: number;
  readonly metadata: Readonly<Record<string, string>>;
  readonly headers: Headers;
}

/** What swift says in headers about a container (HEAD/GET). */
export interface ContainerHeadWire {
  readonly objectCount: number;
  readonly bytesUsed: number;
  readonly metadata: Readonly<Record<string, string>>;
  readonly headers: Headers;
}

/** What swift says in headers about an object (HEAD/GET/PUT). */
export interface ObjectHeadWire {
  /** MD5 of the content (of the manifest, for large objects; then quoted). */
  readonly etag?: string;
  readonly contentType?: string;
  readonly contentLength?: number;
  readonly lastModified?: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly headers: Headers;
}

/** An object's content with its headers. */
export interface ObjectContentWire extends ObjectHeadWire {
  readonly bytes: Uint8Array;
}

/** Swift's capabilities (`GET /info`): middleware name -> its settings. */
export interface SwiftInfoWire {
  readonly swift: {
    readonly version?: string;
    readonly max_file_size?: number;
    readonly [key: string]: unknown;
  };
  readonly [middleware: string]: Readonly<Record<string, unknown>> | undefined;
}
