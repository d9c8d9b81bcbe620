/**
 * The catalog: every supported target service (./services, one module per service) and how they are
 * looked up (./lookup). The provider's own code imports ./lookup, which loads only the entries a
 * deployment needs.
 */
export * from "./lookup";
export { CATALOG } from "./services";
