package io.chainwatch.ingest;

import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.lang.reflect.Type;
import java.util.Map;

/** Flink type of {@link AuditEvent}: serialized by {@link AuditEventSerializer} (see there for why). */
public final class AuditEventTypeInfo extends SerializerTypeInfo<AuditEvent> {

    private static final long serialVersionUID = 1L;

    public AuditEventTypeInfo() {
        super(AuditEvent.class, AuditEventSerializer.INSTANCE);
    }

    /** Picked up by Flink's type extraction through {@code @TypeInfo} on {@link AuditEvent}. */
    public static final class Factory extends TypeInfoFactory<AuditEvent> {
        @Override
        public TypeInformation<AuditEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new AuditEventTypeInfo();
        }
    }
}
