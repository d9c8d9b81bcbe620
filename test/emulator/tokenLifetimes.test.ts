/**
 * Token lifetimes and clock skew on the data planes: tokens valid for an hour (the SDKs' lifetime)
 * are accepted; a JWT's `exp` is honoured with the five minutes of skew ASP.NET Core's JwtBearer
 * allows (SignalR, Web PubSub); a SAS token's `se` with none (Service Bus documents no skew);
 * request dates within 15 minutes (Storage). `clockOffsetMs` puts the services' clocks ahead of the
 * caller's, as a deployer whose clock is slow meets them.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { sasToken, serviceJwt, storagePropertiesHeaders } from "../helpers/dataPlaneSigners";
import { resourceIds, startEmulator } from "../helpers/emulator";
import { call } from "../helpers/emulatorCalls";

let emulator: AzureEmulator;
let proxy: string;
before(async () => {
    emulator = await startEmulator();
    proxy = await emulator.startProxy();
});
afterEach(() => {
    emulator.clockOffsetMs = 0;
});
after(() => emulator.stop());

const MINUTE = 60_000;
const nameOf = (id: string, index = -1) => id.split("/").at(index)!;

describe("SignalR: JWTs", () => {
    const id = resourceIds("lifetime").signalr;
    const url = () => `https://${nameOf(id)}.service.signalr.net/api/hubs/h/users/u?api-version=2022-06-01`;
    const head = (lifetimeSeconds: number) =>
        call(url(), { method: "HEAD", headers: { Authorization: `Bearer ${serviceJwt(emulator.resource(id)!.keys.Primary, url(), lifetimeSeconds)}` }, proxy });
    before(() => emulator.createResource(id));

    it("an hour's token is accepted, also by a service whose clock is 55 minutes ahead", async () => {
        assert.equal((await head(3600)).status, 404);
        emulator.clockOffsetMs = 55 * MINUTE;
        assert.equal((await head(3600)).status, 404);
    });

    it("an expired token is accepted within the five minutes of skew, refused after", async () => {
        emulator.clockOffsetMs = 4 * MINUTE;
        assert.equal((await head(0)).status, 404, "expired 4 minutes ago by the service's clock");
        emulator.clockOffsetMs = 11 * MINUTE;
        const refused = await head(300);
        assert.equal(refused.status, 401, "a 5-minute token from a caller 11 minutes slow");
        assert.match(String(refused.headers["www-authenticate"]), /The token expired at/);
        assert.equal((await head(3600)).status, 404, "the same caller with an hour's token");
    });
});

describe("Service Bus: SAS tokens", () => {
    const id = resourceIds("lifetime")["servicebus-namespace"];
    const base = () => `https://${nameOf(id, -3).toLowerCase()}.servicebus.windows.net/`;
    const info = (lifetimeSeconds: number) =>
        call(`${base()}$namespaceinfo?api-version=2021-05`, {
            headers: { Authorization: sasToken(emulator.resource(id)!.keys.Primary, "RootManageSharedAccessKey", base(), lifetimeSeconds) },
            proxy,
        });
    before(() => emulator.createResource(id));

    it("an hour's token is accepted by a service 6 minutes ahead; a 5-minute one is already expired there", async () => {
        emulator.clockOffsetMs = 6 * MINUTE;
        assert.equal((await info(3600)).status, 200);
        const refused = await info(300);
        assert.equal(refused.status, 401);
        assert.match(refused.body, /ExpiredToken: The token is expired/);
    });
});

describe("Storage: request dates", () => {
    it("x-ms-date within 15 minutes of the service's clock is accepted, beyond refused", async () => {
        const id = resourceIds("lifetime").storage;
        const { keys } = emulator.createResource(id);
        const url = `https://${nameOf(id)}.blob.core.windows.net/?restype=service&comp=properties`;
        emulator.clockOffsetMs = 14 * MINUTE;
        assert.equal((await call(url, { headers: storagePropertiesHeaders(nameOf(id), keys.Primary), proxy })).status, 200);
        emulator.clockOffsetMs = 16 * MINUTE;
        const refused = await call(url, { headers: storagePropertiesHeaders(nameOf(id), keys.Primary), proxy });
        assert.equal(refused.status, 403);
        assert.match(refused.body, /Request date header too old/);
    });
});
