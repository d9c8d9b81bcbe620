/** ARM's routes: long-running operation monitors and every catalog service's key operations, each behind a bearer token. */
import { errors } from "../errors";
import type { Dispatch } from "../http";
import type { Identity } from "../identity";
import type { ArmPlane } from "./armPlane";
import { matchRoute, type Route } from "./routes";

/** The ARM route a request takes (a 404 answer when none matches). `audiences`: the token audiences ARM at this host accepts. */
export function armDispatch(
    arm: ArmPlane,
    routes: readonly Route[],
    identity: Identity,
    method: string,
    path: string,
    audiences: readonly string[],
    base: string,
): Dispatch {
    const monitor = arm.operations.kindOf(path);
    if (monitor && method === "GET") {
        return {
            operation: monitor === "status" ? "OperationStatus" : "OperationResult",
            run: (req, _url, _body, fault) => identity.authenticate(req.headers.authorization, audiences) ?? arm.poll(path, fault),
        };
    }
    const match = matchRoute(routes, method, path);
    if (match) {
        const resourceId = `/subscriptions/${match.subscriptionId}/resourceGroups/${match.resourceGroup}/providers/${match.route.entry.idTemplate.replace(/\{([^}]+)\}/g, (_, n: string) => match.names[n])}`;
        return {
            operation: match.route.operation,
            resourceId,
            run: (req, url, body, fault) => identity.authenticate(req.headers.authorization, audiences) ?? arm.serve(match, url, body, base, fault),
        };
    }
    return { operation: "Unknown", run: () => errors.noRoute(method, path) };
}
