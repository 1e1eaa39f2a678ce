export * from "./defaults";
export * from "./net";
export * from "./service-units";
export * from "./stack-file";
export * from "./types";
export {
  badInstanceName,
  INSTANCE_NAME_ALLOWED,
  isInstanceName,
  normaliseInstanceName,
  StackConfigError,
  validateStackConfig,
} from "./validate";
