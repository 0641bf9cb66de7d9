import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "./errors.js";
import { findConfigFiles, parseConfigFile, readConfigSources, readConfigSourcesFromDisk } from "./files.js";
import { loadCloudConfig } from "./load.js";

describe("findConfigFiles", () => {
  it("searches OS_CLIENT_CONFIG_FILE, ./, ~/.config/openstack, /etc/openstack with .yaml, .yml, .json", () => {
    const found = findConfigFiles({ OS_CLIENT_CONFIG_FILE: "/x/mine.yaml" }, "/work", "/home/u");
    expect(found.clouds).toEqual([
      "/x/mine.yaml",
      "/work/clouds.yaml",
      "/work/clouds.yml",
      "/work/clouds.json",
      "/home/u/.config/openstack/clouds.yaml",
      "/home/u/.config/openstack/clouds.yml",
      "/home/u/.config/openstack/clouds.json",
      "/etc/openstack/clouds.yaml",
      "/etc/openstack/clouds.yml",
      "/etc/openstack/clouds.json",
    ]);
    expect(found.secure[0]).toBe("/work/secure.yaml");
    expect(found.publicClouds[0]).toBe("/work/clouds-public.yaml");
  });

  it("puts OS_CLIENT_SECURE_FILE first for secure.yaml and honours XDG_CONFIG_HOME", () => {
    const found = findConfigFiles({ OS_CLIENT_SECURE_FILE: "/s.yaml", XDG_CONFIG_HOME: "/xdg" }, "/w", "/h");
    expect(found.secure.slice(0, 2)).toEqual(["/s.yaml", "/w/secure.yaml"]);
    expect(found.clouds).toContain("/xdg/openstack/clouds.yaml");
    expect(found.clouds.indexOf("/xdg/openstack/clouds.yaml")).toBeLessThan(
      found.clouds.indexOf("/h/.config/openstack/clouds.yaml"),
    );
  });
});

describe("readConfigSources", () => {
  const disk: Record<string, string> = {
    "/home/u/.config/openstack/clouds.yml":
      "clouds:\n  home: {auth: {auth_url: 'https://h', username: u, password: p}}\n",
    "/etc/openstack/clouds.yaml": "clouds:\n  site: {}\n",
    "/etc/openstack/secure.json": '{"clouds": {"home": {"auth": {"password": "from-json"}}}}',
  };
  const read = (path: string) => disk[path];

  it("takes the first file that exists, and secure.yaml from its own search", () => {
    const sources = readConfigSources(read, {}, "/work", "/home/u");
    expect(sources.clouds?.path).toBe("/home/u/.config/openstack/clouds.yml");
    expect(sources.secure?.path).toBe("/etc/openstack/secure.json");
    const config = loadCloudConfig({ sources });
    expect(config.name).toBe("home");
    expect(config.auth.password).toBe("from-json");
  });

  it("lets OS_CLIENT_CONFIG_FILE win, and falls through when it does not exist", () => {
    expect(
      readConfigSources(read, { OS_CLIENT_CONFIG_FILE: "/etc/openstack/clouds.yaml" }, "/w", "/home/u").clouds
        ?.path,
    ).toBe("/etc/openstack/clouds.yaml");
    expect(
      readConfigSources(read, { OS_CLIENT_CONFIG_FILE: "/nope.yaml" }, "/w", "/home/u").clouds?.path,
    ).toBe("/home/u/.config/openstack/clouds.yml");
  });

  it("is what loadCloudConfig uses when given a reader", () => {
    const config = loadCloudConfig({ readFile: read, env: {}, cwd: "/work", home: "/home/u" });
    expect(config.source.file).toBe("/home/u/.config/openstack/clouds.yml");
  });
});

describe("readConfigSourcesFromDisk", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("reads the files from a real directory tree", async () => {
    dir = mkdtempSync(join(tmpdir(), "oaktree-config-"));
    const home = join(dir, "home");
    mkdirSync(join(home, ".config", "openstack"), { recursive: true });
    writeFileSync(join(home, ".config", "openstack", "clouds.yaml"), "clouds:\n  a: {}\n");
    writeFileSync(join(home, ".config", "openstack", "secure.yaml"), "clouds:\n  a: {auth: {password: x}}\n");
    mkdirSync(join(dir, "cwd", "clouds.yaml"), { recursive: true }); // a directory is skipped, not read
    const sources = await readConfigSourcesFromDisk({ env: {}, cwd: join(dir, "cwd"), home });
    expect(sources.clouds?.path).toBe(join(home, ".config", "openstack", "clouds.yaml"));
    expect(sources.secure?.text).toContain("password: x");
  });
});

describe("parseConfigFile", () => {
  const error = (path: string, text: string): ConfigError => {
    try {
      parseConfigFile({ path, text }, "clouds.yaml");
    } catch (caught) {
      if (caught instanceof ConfigError) return caught;
      throw caught;
    }
    throw new Error("expected a ConfigError");
  };

  it("reads YAML 1.1 as PyYAML does (yes/no/on/off are booleans, y/n are not)", () => {
    expect(parseConfigFile({ path: "/c.yaml", text: "a: yes\nb: Off\nc: n\nd: y\n" }, "clouds.yaml")).toEqual(
      {
        a: true,
        b: false,
        c: "n",
        d: "y",
      },
    );
  });

  it("keeps the text of api versions", () => {
    const data = parseConfigFile(
      { path: "/c.yaml", text: "identity_api_version: 2.0\nother: 2.0\n" },
      "clouds.yaml",
    );
    expect(data).toEqual({ identity_api_version: "2.0", other: 2 });
  });

  it("gives the line of a YAML mistake", () => {
    const e = error("/c.yaml", "clouds:\n  a:\n    auth:\n      username: u\n     password: p\n");
    expect(e.message).toMatch(/^clouds\.yaml \(\/c\.yaml\): line 5: not valid YAML: /);
  });

  it("gives the line of a JSON mistake", () => {
    const e = error("/c.json", '{\n  "clouds": {\n    "a": {,}\n  }\n}\n');
    expect(e.message).toMatch(/^clouds\.yaml \(\/c\.json\): line 3: not valid JSON: /);
  });

  it("rejects an empty file and a file that is not a mapping", () => {
    expect(error("/c.yaml", "").message).toBe(
      "clouds.yaml (/c.yaml): the file is empty (it needs a clouds: mapping)",
    );
    expect(error("/c.yaml", "- a\n").message).toBe(
      "clouds.yaml (/c.yaml): the file is not a mapping (it needs a clouds: mapping)",
    );
  });

  it("rejects clouds: that is not a mapping, naming the key", () => {
    expect(() =>
      loadCloudConfig({ sources: { clouds: { path: "/c.yaml", text: "clouds: [a]\n" } } }),
    ).toThrow("clouds.yaml (/c.yaml): clouds: expected a mapping of cloud names");
  });
});
