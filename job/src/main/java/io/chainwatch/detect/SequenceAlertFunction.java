package io.chainwatch.detect;

import io.chainwatch.alert.Alert;
import io.chainwatch.pattern.PatternDefinition;
import io.chainwatch.pattern.StepDefinition;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a CEP match of a sequence into an {@link Alert}, evidence in step order. */
public class SequenceAlertFunction extends PatternProcessFunction<PatternEvent, Alert> {

    private static final long serialVersionUID = 1L;

    private final PatternDefinition def;
    public SequenceAlertFunction(PatternDefinition def) {
        this.def = def;
    }

    @Override
    public void processMatch(Map<String, List<PatternEvent>> match, Context ctx, Collector<Alert> out) {
        List<AlertFactory.StepMatch> steps = new ArrayList<>();
        for (StepDefinition step : def.steps) {
            List<PatternEvent> events = match.get(step.name);
            if (events != null) {
                for (PatternEvent e : events) {
                    steps.add(new AlertFactory.StepMatch(step.name, e));
                }
            }
        }
        out.collect(AlertFactory.build(def, steps, ctx.currentProcessingTime()));
    }
}
