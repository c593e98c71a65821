package io.chainwatch.generate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A discrete-event simulation of one cluster's API server. Actors fire in time order and submit requests;
 * each request becomes one to three stage events, which wait in a queue until no actor can still produce an
 * earlier one, and then go to the format writer. So the output is sorted by stage time although a request's
 * stages (an exec's ResponseComplete minutes later) are produced up front.
 */
final class ClusterSim {

    /** Share of requests that also have a RequestReceived stage (audit policies that omit it for most rules). */
    static final double REQUEST_RECEIVED_SHARE = 0.10;

    final ClusterProfile profile;
    final ClusterState state;
    private final FormatWriter out;
    private final PriorityQueue<Actor> actors = new PriorityQueue<>((a, b) ->
            a.next != b.next ? Long.compare(a.next, b.next) : Integer.compare(a.order, b.order));
    private final PriorityQueue<StageEvent> pending = new PriorityQueue<>((a, b) ->
            a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    private final List<AttackInstance> attacks = new ArrayList<>();
    private final AtomicLong progress;
    private long seq;
    private int actorCount;
    /** Time of the actor being fired: nothing may be submitted earlier. */
    private long now = Long.MIN_VALUE;

    private static final class StageEvent {
        final Request req;
        final byte stage;
        final long time;
        final long seq;

        StageEvent(Request req, byte stage, long time, long seq) {
            this.req = req;
            this.stage = stage;
            this.time = time;
            this.seq = seq;
        }
    }

    /** An attack waiting for the output to reach a number of events (--events runs). */
    static final class Trigger {
        final long atCount;
        final Actor actor;

        Trigger(long atCount, Actor actor) {
            this.atCount = atCount;
            this.actor = actor;
        }
    }

    ClusterSim(ClusterProfile profile, ClusterState state, FormatWriter out, AtomicLong progress) {
        this.profile = profile;
        this.state = state;
        this.out = out;
        this.progress = progress;
    }

    void add(Actor a) {
        a.order = actorCount++;
        actors.add(a);
    }

    void addAttack(AttackInstance instance) {
        attacks.add(instance);
    }

    List<AttackInstance> attacks() {
        return attacks;
    }

    long now() {
        return now;
    }

    // ------------------------------------------------------------------ building requests

    /** A resource request at {@code t} with default latency; the path has the name unless the verb is create. */
    Request request(Rng rng, Identity who, long t, String verb, Res res, String ns, String name, String sub) {
        Request r = new Request();
        r.auditID = rng.uuid();
        r.user = who;
        r.sourceIPs = who.sourceIPs;
        r.userAgent = who.userAgent;
        r.reason = who.reason;
        r.verb = verb;
        r.res = res;
        r.namespace = res.namespaced ? ns : null;
        r.name = name;
        r.subresource = sub;
        boolean collection = verb.equals("create") && sub == null || verb.equals("list") || verb.equals("watch")
                || verb.equals("deletecollection");
        r.requestURI = res.path(r.namespace, collection ? null : name, sub);
        r.received = t;
        r.completed = t + latency(rng, verb, sub);
        r.started = t + rng.range(300, 3_000);
        if (verb.equals("create") && sub == null) {
            r.code = 201;
        }
        if (verb.equals("watch")) {
            r.kind = Request.Kind.WATCH;
        }
        return r;
    }

    /** A non-resource request (/healthz, /api, /version). */
    Request nonResource(Rng rng, Identity who, long t, String path) {
        Request r = new Request();
        r.auditID = rng.uuid();
        r.user = who;
        r.sourceIPs = who.sourceIPs;
        r.userAgent = who.userAgent;
        r.reason = who.reason;
        r.verb = "get";
        r.requestURI = path;
        r.received = t;
        r.completed = t + rng.range(200, 2_500);
        return r;
    }

    /** exec, attach or portforward: ResponseStarted (101) after the upgrade, ResponseComplete when it ends. */
    Request streaming(Rng rng, Identity who, long t, boolean websocket, String ns, String pod, String sub, String query,
                      long durationMicros) {
        Request r = request(rng, who, t, websocket ? "get" : "create", Res.PODS, ns, pod, sub);
        r.uri(query);
        r.kind = Request.Kind.STREAMING;
        r.code = 101;
        r.started = t + rng.range(15_000, 90_000);
        r.completed = r.started + durationMicros;
        return r;
    }

    static long latency(Rng rng, String verb, String sub) {
        long base;
        switch (verb) {
            case "get": base = rng.range(800, 9_000); break;
            case "list": base = rng.range(2_500, 60_000); break;
            case "watch": base = rng.range(300, 3_000); break;
            case "delete": base = rng.range(5_000, 45_000); break;
            default: base = rng.range(3_000, 30_000); break;
        }
        if ("log".equals(sub)) {
            base += rng.range(20_000, 250_000);
        }
        return rng.chance(0.02) ? base * (3 + rng.nextInt(12)) : base;
    }

    /** The audit policy modelled (see docs/generator.md): what level each request is logged at. */
    static Request.Level policyLevel(Request r) {
        if (r.res == null) {
            return Request.Level.METADATA;
        }
        if (r.subresource != null) {
            switch (r.subresource) {
                case "status":
                    return Request.Level.REQUEST;
                case "binding":
                case "token":
                    return Request.Level.REQUEST_RESPONSE;
                default:
                    return Request.Level.METADATA; // exec, attach, portforward, log, proxy
            }
        }
        switch (r.res.resource) {
            case "secrets":
            case "configmaps":
            case "tokenreviews":
            case "subjectaccessreviews":
            case "leases":
            case "events":
                return Request.Level.METADATA;
            default:
                break;
        }
        switch (r.verb) {
            case "get":
            case "list":
            case "watch":
                return Request.Level.METADATA;
            default:
                return Request.Level.REQUEST_RESPONSE;
        }
    }

    /** Queues the request's stage events. */
    void submit(Request r, Rng rng) {
        if (r.received < now) {
            throw new IllegalStateException("request " + r.requestURI + " at " + r.received + " before now " + now);
        }
        if (r.level == null) {
            r.level = policyLevel(r);
        }
        if (r.decision.equals("allow") && r.code == 403 && !r.admissionRefused) {
            r.decision = "forbid";
        }
        r.requestReceivedStage = rng.chance(REQUEST_RECEIVED_SHARE);
        if (r.requestReceivedStage) {
            push(r, Request.REQUEST_RECEIVED, r.received);
        }
        switch (r.kind) {
            case WATCH:
                push(r, Request.RESPONSE_STARTED, Math.max(r.started, r.received));
                break;
            case STREAMING:
                push(r, Request.RESPONSE_STARTED, Math.max(r.started, r.received));
                push(r, Request.RESPONSE_COMPLETE, Math.max(r.completed, r.started));
                break;
            default:
                push(r, Request.RESPONSE_COMPLETE, Math.max(r.completed, r.received));
                break;
        }
    }

    private void push(Request r, byte stage, long time) {
        pending.add(new StageEvent(r, stage, time, seq++));
    }

    // ------------------------------------------------------------------ running

    /**
     * Runs until simulated time {@code end} (exclusive) or until the writer has written {@code quota} events.
     * {@code triggers} (sorted by count) start attacks when the output reaches their count.
     */
    void run(long end, long quota, List<Trigger> triggers) throws IOException {
        int nextTrigger = 0;
        long reported = 0;
        while (true) {
            Actor a = actors.peek();
            long horizon = a == null ? Long.MAX_VALUE : Math.min(a.next, end);
            while (!pending.isEmpty() && pending.peek().time <= horizon && pending.peek().time < end) {
                StageEvent e = pending.poll();
                out.write(e.req, e.stage, e.time);
                long written = out.events();
                if (written - reported >= 4096) {
                    progress.addAndGet(written - reported);
                    reported = written;
                }
                if (written >= quota) {
                    progress.addAndGet(written - reported);
                    return;
                }
                while (nextTrigger < triggers.size() && written >= triggers.get(nextTrigger).atCount) {
                    Actor attack = triggers.get(nextTrigger++).actor;
                    // never before an actor that is already due: the queue may only receive later events
                    attack.next = Math.max(horizon, e.time) + attack.rng.range(Times.SECOND, 90 * Times.SECOND);
                    add(attack);
                }
            }
            if (a == null || a.next >= end) {
                progress.addAndGet(out.events() - reported);
                return;
            }
            // an attack scheduled just now may be due before the actor we peeked
            a = actors.poll();
            now = a.next;
            a.fire(this);
            if (a.next != Actor.DONE) {
                actors.add(a);
            }
        }
    }
}
