/**
 * Pulumi's dynamic-provider host with two measuring aids, loaded before it:
 * - on SIGUSR2 it runs a full garbage collection and writes `live-heap <bytes>` to stderr: the
 *   memory the host really holds, as opposed to the peak RSS, which follows V8's heap sizing;
 * - with KEY_ROTATION_BENCH_PROFILE_DIR set (`npm run bench -- --profile DIR`), it runs under the
 *   V8 CPU profiler and writes `host-<pid>.cpuprofile` there when stopped.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
process.on("SIGUSR2", () => {
    gc();
    process.stderr.write(`live-heap ${process.memoryUsage().heapUsed}\n`);
});

const startHost = () => require("@pulumi/pulumi/cmd/dynamic-provider/index.js");
const profileDir = process.env.KEY_ROTATION_BENCH_PROFILE_DIR;
if (!profileDir) {
    startHost();
} else {
    const session = new Session();
    session.connect();
    session.post("Profiler.enable", () =>
        session.post("Profiler.setSamplingInterval", { interval: 200 }, () =>
            session.post("Profiler.start", () => {
                process.on("SIGTERM", () =>
                    session.post("Profiler.stop", (error, result) => {
                        if (!error) writeFileSync(join(profileDir, `host-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
                        process.exit(0);
                    }),
                );
                startHost();
            }),
        ),
    );
}
