import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CATALOG, findService } from "../../src/catalog";
import { activeKeys, planRotation, type RotationPlan } from "../../src/core/active";
import { diffInputs } from "../../src/core/diff";
import { checkInputs, UNKNOWN } from "../../src/core/inputs";
import { parseInterval } from "../../src/core/schedule";
import { resourceIds } from "../helpers/emulator";

const signalr = findService("Microsoft.SignalRService/signalR")!;
const DAY = 86_400_000;
const t0 = Date.parse("2026-11-01T00:00:00.000Z");
const iso = (t: number) => new Date(t).toISOString();

describe("Alternate: which key each rotation regenerates", () => {
    it("first regenerates Secondary (Primary is assumed in use), then alternates; the previous key is the other one", () => {
        const plans: RotationPlan[] = [];
        let before: RotationPlan | undefined;
        for (let i = 0; i < 4; i++) {
            before = planRotation(signalr, "Alternate", before);
            plans.push(before);
        }
        assert.deepEqual(
            plans.map((p) => [p.regenerate, p.activeKeyType, p.previousKeyType]),
            [
                ["Secondary", "Secondary", "Primary"],
                ["Primary", "Primary", "Secondary"],
                ["Secondary", "Secondary", "Primary"],
                ["Primary", "Primary", "Secondary"],
            ],
        );
    });

    it("never regenerates the active key: after a fixed Primary rotation, Alternate regenerates Secondary", () => {
        const fixed = planRotation(signalr, "Primary", undefined);
        assert.deepEqual(fixed, { regenerate: "Primary", activeKeyType: "Primary" });
        assert.equal(planRotation(signalr, "Alternate", fixed).regenerate, "Secondary");
        assert.equal(planRotation(signalr, "Alternate", { activeKeyType: "Secondary" }).regenerate, "Primary");
    });

    it("a fixed key type is its own active key; Salt has none", () => {
        assert.deepEqual(activeKeys(signalr, "Secondary", undefined), { activeKeyType: "Secondary" });
        assert.deepEqual(activeKeys(signalr, "Salt", undefined), {});
        assert.deepEqual(planRotation(signalr, "Salt", undefined), { regenerate: "Salt" });
    });

    it("switching to Alternate without rotating keeps the key in use active", () => {
        assert.deepEqual(activeKeys(signalr, "Alternate", { rotatedKeyType: "Primary", activeKeyType: "Primary" }), {
            activeKeyType: "Primary",
            previousKeyType: "Secondary",
        });
        assert.deepEqual(activeKeys(signalr, "Alternate", { rotatedKeyType: "Secondary" }), { activeKeyType: "Secondary", previousKeyType: "Primary" });
    });

    it("every catalog service either alternates between two of its key types or says why not", () => {
        for (const entry of CATALOG) {
            if ("pairs" in entry.alternate) {
                for (const pair of Object.values(entry.alternate.pairs))
                    for (const k of pair)
                        assert.ok(
                            entry.keyTypes.some((t) => t.name === k && t.consumer),
                            `${entry.service}: ${k}`,
                        );
            } else assert.ok(entry.alternate.refused.length > 20, entry.service);
        }
    });
});

describe("rotateEvery", () => {
    const base = { resourceId: resourceIds().signalr, keyType: "Alternate", trigger: "1", rotateEvery: "30d" };
    /** The inputs a deployment at `now` stores, after the deployment at `before` stored `olds`. */
    const deploy = (olds: Record<string, unknown>, now: number, news: Record<string, unknown> = base) => {
        const { inputs, failures } = checkInputs(news, olds, now);
        assert.deepEqual(failures, []);
        return { inputs, diff: diffInputs(olds, inputs) };
    };

    it("parses whole hours and days only", () => {
        assert.equal(parseInterval("12h"), 12 * 3_600_000);
        assert.equal(parseInterval("30d"), 30 * DAY);
        for (const bad of ["30", "1.5d", "2w", "-1d", "0d", "3651d", "", 30]) assert.equal(parseInterval(bad), undefined, String(bad));
    });

    it("on create, schedules the next rotation one interval out", () => {
        const { inputs } = checkInputs(base, {}, t0);
        assert.equal(inputs.nextRotationAt, iso(t0 + 30 * DAY));
        assert.equal(inputs.rotationReason, "created");
    });

    it("does nothing inside the interval, however often it is deployed", () => {
        const created = checkInputs(base, {}, t0).inputs;
        for (const day of [0, 1, 15, 29.99]) {
            const { inputs, diff } = deploy(created, t0 + day * DAY);
            assert.deepEqual(inputs, created);
            assert.equal(diff.changes, false, `day ${day}`);
        }
    });

    it("once due, rotates with the reason and schedules the next rotation from now, so a late deployment rotates once", () => {
        const created = checkInputs(base, {}, t0).inputs;
        const late = t0 + 47 * DAY;
        const { inputs, diff } = deploy(created, late);
        assert.equal(diff.rotates, true);
        assert.deepEqual(diff.changed, ["nextRotationAt", "rotationReason"]);
        assert.equal(inputs.rotationReason, `rotateEvery 30d elapsed: due since ${iso(t0 + 30 * DAY)}`);
        assert.equal(inputs.nextRotationAt, iso(late + 30 * DAY));
        // The next deployment, a minute later: nothing (no catch-up for the 17 days of lateness).
        const again = deploy(inputs, late + 60_000);
        assert.equal(again.diff.changes, false);
    });

    it("a new trigger rotates at once and restarts the interval", () => {
        const created = checkInputs(base, {}, t0).inputs;
        const { inputs, diff } = deploy(created, t0 + 10 * DAY, { ...base, trigger: "2" });
        assert.equal(diff.rotates, true);
        assert.equal(inputs.rotationReason, "trigger changed");
        assert.equal(inputs.nextRotationAt, iso(t0 + 40 * DAY));
    });

    it("a changed interval counts from the same last rotation: shorter and overdue rotates, longer moves the date", () => {
        const created = checkInputs(base, {}, t0).inputs;
        const shorter = deploy(created, t0 + 10 * DAY, { ...base, rotateEvery: "7d" });
        assert.equal(shorter.diff.rotates, true);
        assert.equal(shorter.inputs.rotationReason, `rotateEvery 7d elapsed: due since ${iso(t0 + 7 * DAY)}`);
        const longer = deploy(created, t0 + 10 * DAY, { ...base, rotateEvery: "60d" });
        assert.equal(longer.diff.rotates, false);
        assert.equal(longer.diff.changes, true);
        assert.equal(longer.inputs.nextRotationAt, iso(t0 + 60 * DAY));
    });

    it("added to an existing KeyRotation, starts the clock; removed, stops it; neither rotates", () => {
        const plain = checkInputs({ ...base, rotateEvery: undefined }, {}, t0).inputs;
        assert.equal(plain.nextRotationAt, undefined);
        const added = deploy(plain, t0 + 100 * DAY);
        assert.equal(added.inputs.nextRotationAt, iso(t0 + 130 * DAY));
        assert.equal(added.diff.rotates, false);
        const removed = deploy(added.inputs, t0 + 200 * DAY, { ...base, rotateEvery: undefined });
        assert.equal(removed.inputs.nextRotationAt, undefined);
        assert.equal(removed.diff.rotates, false);
    });

    it("ignores schedule values written into the program's inputs", () => {
        const { inputs } = checkInputs({ ...base, nextRotationAt: iso(0), rotationReason: "forged" }, {}, t0);
        assert.equal(inputs.nextRotationAt, iso(t0 + 30 * DAY));
        assert.equal(inputs.rotationReason, "created");
    });

    it("in preview, an unknown trigger makes the schedule unknown too", () => {
        const created = checkInputs(base, {}, t0).inputs;
        const { inputs } = checkInputs({ ...base, trigger: UNKNOWN }, created, t0 + DAY);
        assert.equal(inputs.nextRotationAt, UNKNOWN);
        assert.equal(diffInputs(created, inputs).rotates, true);
    });
});
