package io.chainwatch.ingest;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.lang.reflect.Type;
import java.util.Map;

/** Flink type of {@link AuditEvent}: serialized by {@link AuditEventSerializer} (see there for why). */
public final class AuditEventTypeInfo extends TypeInformation<AuditEvent> {

    private static final long serialVersionUID = 1L;

    /** Picked up by Flink's type extraction through {@code @TypeInfo} on {@link AuditEvent}. */
    public static final class Factory extends TypeInfoFactory<AuditEvent> {
        @Override
        public TypeInformation<AuditEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new AuditEventTypeInfo();
        }
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<AuditEvent> getTypeClass() {
        return AuditEvent.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<AuditEvent> createSerializer(SerializerConfig config) {
        return AuditEventSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "AuditEvent";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof AuditEventTypeInfo;
    }

    @Override
    public int hashCode() {
        return AuditEventTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof AuditEventTypeInfo;
    }
}
