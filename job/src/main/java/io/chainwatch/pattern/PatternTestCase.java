package io.chainwatch.pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * A test that lives inside a pattern file: a timeline of (partial) audit events at offsets from a base time,
 * and how many alerts of the pattern it must raise.
 */
public final class PatternTestCase implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One event of the timeline; the runner fills in what the author left out (auditID, timestamps, ...). */
    public static final class TimedEvent implements Serializable {
        private static final long serialVersionUID = 1L;
        public final Duration at;
        public final ObjectNode event;

        public TimedEvent(Duration at, ObjectNode event) {
            this.at = at;
            this.event = event;
        }
    }

    /** What the first alert of the test must look like (null fields are not checked). */
    public static final class AlertExpectation implements Serializable {
        private static final long serialVersionUID = 1L;
        public final String severity;
        public final String title;
        public final String summaryContains;
        public final java.util.Map<String, String> key;
        /** Positions (0-based) in the timeline of the events that must be the evidence, in order. */
        public final List<Integer> evidence;

        public AlertExpectation(String severity, String title, String summaryContains, java.util.Map<String, String> key,
                                List<Integer> evidence) {
            this.severity = severity;
            this.title = title;
            this.summaryContains = summaryContains;
            this.key = key;
            this.evidence = evidence;
        }
    }

    public final String name;
    public final List<TimedEvent> events;
    public final int expectedAlerts;
    /** Checks on the first alert, or null. */
    public final AlertExpectation first;
    /** File and line of the test, for failure messages. */
    public final String location;

    public PatternTestCase(String name, List<TimedEvent> events, int expectedAlerts, String location) {
        this(name, events, expectedAlerts, null, location);
    }

    public PatternTestCase(String name, List<TimedEvent> events, int expectedAlerts, AlertExpectation first, String location) {
        this.name = name;
        this.events = List.copyOf(events);
        this.expectedAlerts = expectedAlerts;
        this.first = first;
        this.location = location;
    }
}
