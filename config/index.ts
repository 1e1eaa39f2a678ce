export * from "./defaults";
export * from "./net";
export * from "./service-units";
export * from "./stack-file";
export * from "./types";
export { normaliseInstanceName, StackConfigError, validateStackConfig } from "./validate";
