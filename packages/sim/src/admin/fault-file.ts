import { parse } from "yaml";
import { type FaultRule, validateFaultRule } from "../core/faults.js";

/**
 * Reads fault rules from YAML or JSON text: one rule (a mapping) or a list of rules. Throws a
 * `TypeError` naming the rule's position and the bad field.
 *
 * @example
 * parseFaultRules("[{service: compute, route: 'POST /servers', dropResponse: true, probability: 0.1}]");
 */
export function parseFaultRules(text: string): FaultRule[] {
  let value: unknown;
  try {
    value = parse(text);
  } catch (e) {
    throw new TypeError(`fault rules: not valid YAML/JSON: ${(e as Error).message}`);
  }
  const list = Array.isArray(value) ? value : [value];
  return list.map((rule, i) => {
    try {
      return validateFaultRule(rule);
    } catch (e) {
      throw new TypeError(list.length > 1 ? `rule ${i + 1}: ${(e as Error).message}` : (e as Error).message);
    }
  });
}
