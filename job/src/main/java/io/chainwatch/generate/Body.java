package io.chainwatch.generate;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

/** A request or response object that streams itself into a generator (no trees for the bulk of the events). */
@FunctionalInterface
interface Body {
    void write(JsonGenerator g) throws IOException;
}
