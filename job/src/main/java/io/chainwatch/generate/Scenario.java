package io.chainwatch.generate;

/**
 * An attack the generator can inject: one per multi-step pattern of the pack. To add one, implement this
 * interface (see the existing scenarios) and register the class in {@link Scenarios#ALL}.
 *
 * <p>An instance must use fresh names and the attacker identity and IP of its {@link ScenarioContext}, submit
 * every request through the context (so that it is attributed to the instance), and mark with
 * {@link ScenarioContext#evidence} exactly the requests the pattern must report as evidence, in step order.
 */
public interface Scenario {

    /** The name used with {@code --scenarios} and in labels.json. */
    String name();

    /** The pattern (cep-patterns/&lt;id&gt;.yaml) that must detect an instance. */
    String patternId();

    /** One line for {@code generate --help} and the docs. */
    String description();

    /** Whether the format can express the scenario (GKE has no user.extra, so no pod-bound token evidence). */
    default boolean supports(OutputFormat format) {
        return true;
    }

    /** Why {@link #supports} said no, for the generate summary. */
    default String unsupportedReason(OutputFormat format) {
        return format.keyword + " audit logs have no user.extra, so a pod-bound token cannot be traced to its pod";
    }

    /** Called once per instance before the simulation starts, e.g. to reserve a target in the cluster state. */
    default void prepare(ScenarioContext ctx) {
    }

    /** Submits the instance's requests, starting at {@code t} (microseconds since the epoch). */
    void inject(ScenarioContext ctx, long t);
}
