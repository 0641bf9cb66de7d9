import { describe, expect, it } from "vitest";
import { OaktreeError, ValidationError } from "./errors.js";

describe("ValidationError", () => {
  it("names the field and the problem", () => {
    const error = new ValidationError("flavor", "must not be empty");
    expect(error).toBeInstanceOf(OaktreeError);
    expect(error.message).toBe("flavor: must not be empty");
    expect(error.field).toBe("flavor");
  });
});
