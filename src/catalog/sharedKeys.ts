import type { SharedKeysSetting } from "./types";

/** `properties.disableLocalAuth: true`: how most services say their shared keys are turned off. */
export const disableLocalAuth: SharedKeysSetting = {
    selector: "properties.disableLocalAuth",
    off: { equals: true },
    setting: "disableLocalAuth: true",
    enable: "set disableLocalAuth to false",
};
