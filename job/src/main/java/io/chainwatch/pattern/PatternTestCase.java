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

    public final String name;
    public final List<TimedEvent> events;
    public final int expectedAlerts;
    /** File and line of the test, for failure messages. */
    public final String location;

    public PatternTestCase(String name, List<TimedEvent> events, int expectedAlerts, String location) {
        this.name = name;
        this.events = List.copyOf(events);
        this.expectedAlerts = expectedAlerts;
        this.location = location;
    }
}
